"""The engine's own batched greedy generation of a suite's prompts, with no saferegress at all:
what `pytest suites/ --model X` is compared against. Prints the seconds spent generating.

    python bench/plain_generate.py hf|vllm MODEL_DIR SUITE_DIR_OR_FILE [--langs en,sl]
        [--max-new-tokens 64] [--batch-size 64] [--limit N] [--gc-freeze]

``--gc-freeze``: ``gc.freeze()`` after the imports, before the weights load, as saferegress's
in-process backends do (``engine.heap``): without it every full collection walks the ~450,000
objects the imports leave (about 8 of them, ~1 s of CPU, on the demo at 400 prompts). Off by
default, so that the plain figure stays what a bare script costs; on, it shows how much of
saferegress's lead over that script comes from the freeze alone.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["hf", "vllm"])
    parser.add_argument("model")
    parser.add_argument("suite")
    parser.add_argument("--langs", default="")
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--gc-freeze", action="store_true")
    args = parser.parse_args()
    langs = set(args.langs.split(",")) if args.langs else None
    suite = Path(args.suite)
    files = sorted(suite.rglob("*.jsonl")) if suite.is_dir() else [suite]
    prompts = []
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if langs is None or row["lang"] in langs:
                    prompts.append(row["prompt"])
    if args.limit:
        prompts = prompts[: args.limit]
    conversations = [[{"role": "user", "content": p}] for p in prompts]
    start = time.perf_counter()
    if args.engine == "hf":
        texts = hf_generate(
            args.model, conversations, args.max_new_tokens, args.batch_size, args.gc_freeze
        )
    else:
        texts = vllm_generate(args.model, conversations, args.max_new_tokens, args.gc_freeze)
    print(json.dumps({"prompts": len(texts), "seconds": time.perf_counter() - start}))


def hf_generate(
    model_dir: str, conversations: list, max_new_tokens: int, batch_size: int, freeze: bool
) -> list:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir, padding_side="left")
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if freeze:
        gc.freeze()
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    ids = [
        tokenizer.apply_chat_template(
            c, add_generation_prompt=True, tokenize=True, return_dict=True
        )["input_ids"]
        for c in conversations
    ]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # less padding, as any user would
    texts: list = [None] * len(ids)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        batch = tokenizer.pad({"input_ids": [ids[i] for i in chunk]}, return_tensors="pt")
        with torch.inference_mode():
            out = model.generate(
                **batch,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                temperature=None,
                top_p=None,
                top_k=None,
                pad_token_id=tokenizer.pad_token_id,
            )
        decoded = tokenizer.batch_decode(
            out[:, batch["input_ids"].shape[1] :], skip_special_tokens=True
        )
        for i, text in zip(chunk, decoded):
            texts[i] = text
    return texts


def vllm_generate(model_dir: str, conversations: list, max_new_tokens: int, freeze: bool) -> list:
    os.environ.setdefault("VLLM_ENABLE_V1_MULTIPROCESSING", "0")
    os.environ.setdefault("VLLM_CPU_OMP_THREADS_BIND", "nobind")
    from vllm import LLM, SamplingParams

    if freeze:
        gc.freeze()

    llm = LLM(model=model_dir, enforce_eager=True, kv_cache_memory_bytes=256 << 20, seed=0)
    params = SamplingParams(temperature=0.0, max_tokens=max_new_tokens)
    outputs = llm.chat(conversations, params, use_tqdm=False)
    return [o.outputs[0].text for o in outputs]


if __name__ == "__main__":
    main()
