"""The model: encoders and heads (``encoder``, ``net``), windows over long texts, inference and
span decoding, the registry of released models, loading and installing their weights, and the
training pipeline that made them (``training``)."""
