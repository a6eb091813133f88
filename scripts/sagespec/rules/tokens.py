"""Token settings of the LLM containers, checked against each other as each container does at start.

Only rules the containers' own sources state, and only between values the spec sets: a value left
out is defaulted by the container from the model's config.json, which validation cannot read.

- TGI: launcher/src/main.rs (huggingface/text-generation-inference) refuses to start when both
  MAX_INPUT_TOKENS and its deprecated alias MAX_INPUT_LENGTH are set, when MAX_INPUT_TOKENS >=
  MAX_TOTAL_TOKENS, when MAX_BATCH_PREFILL_TOKENS < MAX_INPUT_TOKENS, and, with
  MAX_BATCH_TOTAL_TOKENS set, when it is below MAX_BATCH_PREFILL_TOKENS or MAX_TOTAL_TOKENS.
  The settings are clap `usize`/`u32` arguments: anything but a whole number fails to parse.
  Docs: https://huggingface.co/docs/text-generation-inference/basic_tutorials/launcher
- LMI (vLLM and lmi-dist rolling batch): OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS is passed to
  vLLM as max_num_batched_tokens and OPTION_MAX_ROLLING_BATCH_SIZE as max_num_seqs
  (djl-serving engines/python/setup/djl_python/properties_manager/vllm_rb_properties.py).
  vLLM's SchedulerConfig._verify_args refuses max_num_batched_tokens < max_model_len unless
  chunked prefill is on, and max_num_batched_tokens < max_num_seqs.
  Docs: djl-serving serving/docs/lmi/user_guides/lmi-dist_user_guide.md
- TEI: router/src/main.rs (huggingface/text-embeddings-inference) reads MAX_CONCURRENT_REQUESTS,
  MAX_BATCH_TOKENS, MAX_BATCH_REQUESTS and MAX_CLIENT_BATCH_SIZE as clap `usize`. Its one cross
  rule (MAX_BATCH_TOKENS against the model's max_input_length) needs config.json: not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..spec.project import Resolved
from .report import Reporter

WHOLE_NUMBERS = {
    "tgi": (
        "MAX_INPUT_TOKENS",
        "MAX_INPUT_LENGTH",
        "MAX_TOTAL_TOKENS",
        "MAX_BATCH_PREFILL_TOKENS",
        "MAX_BATCH_TOTAL_TOKENS",
        "MAX_BATCH_SIZE",
        "MAX_CONCURRENT_REQUESTS",
    ),
    "lmi": (
        "OPTION_MAX_MODEL_LEN",
        "OPTION_MAX_ROLLING_BATCH_SIZE",
        "OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS",
    ),
    "tei": ("MAX_CONCURRENT_REQUESTS", "MAX_BATCH_TOKENS", "MAX_BATCH_REQUESTS", "MAX_CLIENT_BATCH_SIZE"),
}
# LMI rolling-batch engines that hand these settings to vLLM's scheduler (unset means auto).
VLLM_ENGINES = ("auto", "vllm", "lmi-dist")
CONTAINER_NAMES = {"tgi": "TGI", "lmi": "LMI", "tei": "TEI"}


@dataclass(frozen=True)
class Rule:
    """`low` must stay below (strict) or at most (not strict) `high`; reported on `at`."""

    low: str
    high: str
    strict: bool
    at: str
    why: str


TGI_RULES = (
    Rule("MAX_INPUT_TOKENS", "MAX_TOTAL_TOKENS", True, "MAX_INPUT_TOKENS", "leave room to generate"),
    Rule(
        "MAX_INPUT_TOKENS",
        "MAX_BATCH_PREFILL_TOKENS",
        False,
        "MAX_BATCH_PREFILL_TOKENS",
        "one prompt must fit a prefill batch",
    ),
    Rule(
        "MAX_BATCH_PREFILL_TOKENS",
        "MAX_BATCH_TOTAL_TOKENS",
        False,
        "MAX_BATCH_TOTAL_TOKENS",
        "a prefill batch must fit the batch budget",
    ),
    Rule(
        "MAX_TOTAL_TOKENS",
        "MAX_BATCH_TOTAL_TOKENS",
        False,
        "MAX_BATCH_TOTAL_TOKENS",
        "one request must fit the batch budget",
    ),
)
LMI_RULES = (
    Rule(
        "OPTION_MAX_ROLLING_BATCH_SIZE",
        "OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS",
        False,
        "OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS",
        "vLLM needs a token per sequence of a batch",
    ),
)
LMI_MODEL_LEN = Rule(
    "OPTION_MAX_MODEL_LEN",
    "OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS",
    False,
    "OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS",
    "without chunked prefill a whole sequence must fit one scheduler step",
)


def check_model(reporter: Reporter, model: Resolved) -> None:
    framework = model.spec["container"]["framework"]
    environment: dict[str, Any] = model.spec.get("environment", {})
    if framework not in WHOLE_NUMBERS or not environment:
        return
    numbers = _whole_numbers(reporter, model, framework, environment)
    if framework == "tgi":
        _check_tgi(reporter, model, environment, numbers)
    elif framework == "lmi" and str(environment.get("OPTION_ROLLING_BATCH", "auto")) in VLLM_ENGINES:
        rules = (
            LMI_RULES
            if _truthy(environment.get("OPTION_ENABLE_CHUNKED_PREFILL"))
            else (
                *LMI_RULES,
                LMI_MODEL_LEN,
            )
        )
        _apply(reporter, model, "LMI", rules, numbers)


def _whole_numbers(
    reporter: Reporter, model: Resolved, framework: str, environment: dict[str, Any]
) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for var in WHOLE_NUMBERS[framework]:
        if var not in environment:
            continue
        value = environment[var]
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit():
            reporter.error(
                model,
                ("spec", "environment", var),
                "E414",
                f"{var} must be a whole number: {CONTAINER_NAMES[framework]} refuses to start otherwise",
                "write digits only, e.g. 4096",
            )
            continue
        numbers[var] = int(text)
    return numbers


def _check_tgi(
    reporter: Reporter, model: Resolved, environment: dict[str, Any], numbers: dict[str, int]
) -> None:
    if "MAX_INPUT_TOKENS" in environment and "MAX_INPUT_LENGTH" in environment:
        reporter.error(
            model,
            ("spec", "environment", "MAX_INPUT_LENGTH"),
            "E414",
            "MAX_INPUT_LENGTH and MAX_INPUT_TOKENS are both set: TGI refuses to start",
            "keep MAX_INPUT_TOKENS only; MAX_INPUT_LENGTH is its deprecated alias",
        )
        return
    # the deprecated alias stands for MAX_INPUT_TOKENS; findings name it as the spec wrote it
    aliased = "MAX_INPUT_LENGTH" in environment
    _apply(reporter, model, "TGI", tuple(_alias(r) for r in TGI_RULES) if aliased else TGI_RULES, numbers)


def _alias(rule: Rule) -> Rule:
    """The same rule, named and placed as the spec wrote it (MAX_INPUT_LENGTH)."""
    if rule.low != "MAX_INPUT_TOKENS":
        return rule
    at = "MAX_INPUT_LENGTH" if rule.at == "MAX_INPUT_TOKENS" else rule.at
    return Rule("MAX_INPUT_LENGTH", rule.high, rule.strict, at, rule.why)


def _apply(
    reporter: Reporter, model: Resolved, container: str, rules: tuple[Rule, ...], numbers: dict[str, int]
) -> None:
    for rule in rules:
        low, high = numbers.get(rule.low), numbers.get(rule.high)
        if low is None or high is None or (low < high if rule.strict else low <= high):
            continue
        relation = "below" if rule.strict else "at most"
        reporter.error(
            model,
            ("spec", "environment", rule.at),
            "E414",
            f"{rule.low} must be {relation} {rule.high}: {container} refuses to start otherwise",
            f"{rule.why}; raise {rule.high} or lower {rule.low}",
        )


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() == "true"
