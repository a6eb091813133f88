"""SageMaker inference handlers for the fine-tuned Flan-T5 biography model.

The Hugging Face inference toolkit calls model_fn once at start-up with the folder where
model.tar.gz was unpacked, then predict_fn for every request.
"""

from transformers import AutoModelForSeq2SeqLM, AutoTokenizer


def model_fn(model_dir):
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
    return model, tokenizer


def predict_fn(data, model_and_tokenizer):
    model, tokenizer = model_and_tokenizer
    text = data.pop("inputs", data)
    parameters = data.pop("parameters", {"max_new_tokens": 128})
    inputs = tokenizer(text, return_tensors="pt", truncation=True)
    outputs = model.generate(**inputs, **parameters)
    return [{"generated_text": tokenizer.decode(o, skip_special_tokens=True)} for o in outputs]
