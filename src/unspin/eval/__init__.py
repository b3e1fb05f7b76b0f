"""Evaluation: PTC corpus files (``ptc``), the SemEval-2020 Task 11 scorers (``scoring``) and
``unspin evaluate`` (``evaluation``)."""
