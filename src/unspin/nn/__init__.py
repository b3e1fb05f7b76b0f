"""Neural parts of unspin: the BERT-style encoder, LoRA adapters and the two task heads."""
