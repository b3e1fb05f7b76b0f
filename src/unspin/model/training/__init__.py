"""Reproducing the shipped models from the PTC train split (``unspin train``)."""
