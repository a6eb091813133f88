"""PyTorch serving handlers for GPT-Neo-125M (model_fn, input_fn, predict_fn, output_fn).

The weights are not in the tarball: model_fn loads them from the Hugging Face Hub by the id in
HF_MODEL_ID, so the artifact is only this code and its requirements.
"""

import json
import os

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def model_fn(model_dir):
    model_id = os.environ.get("HF_MODEL_ID", "EleutherAI/gpt-neo-125m")
    tokenizer = AutoTokenizer.from_pretrained(model_id)
    model = AutoModelForCausalLM.from_pretrained(model_id)
    model.eval()
    return model, tokenizer


def input_fn(request_body, content_type):
    if content_type != "application/json":
        raise ValueError(f"unsupported content type {content_type}")
    return json.loads(request_body)


def predict_fn(data, model_and_tokenizer):
    model, tokenizer = model_and_tokenizer
    inputs = tokenizer(data["inputs"], return_tensors="pt")
    with torch.no_grad():
        output = model.generate(**inputs, **data.get("parameters", {"max_new_tokens": 32}))
    return tokenizer.decode(output[0], skip_special_tokens=True)


def output_fn(prediction, accept):
    return json.dumps([{"generated_text": prediction}])
