"""Repository-level pytest configuration.

The saferegress plugin itself is loaded through its ``pytest11`` entry point once the package is
installed (``pip install -e .``); nothing here is needed by users of the package.
"""

import os

# This repository never downloads weights or datasets: models are local paths or the shipped demo.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
