# A LoRA adapter inference component: it names its base inference component and the adapter's
# artifact, and runs on the base's copies with the base's compute, so it has no model, container
# image, compute requirements or copy count of its own.
# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentSpecification.html
# (BaseInferenceComponentName, Container.ArtifactUrl)

# Another base or pool is another component: UpdateInferenceComponent takes no endpoint, and an
# adapter belongs to the base it was created on. Such a change replaces the adapter (delete, then
# create under the same name: requests naming it fail meanwhile, which the review names).
resource "terraform_data" "placement" {
  input = { base = var.base_inference_component_name, endpoint = var.endpoint_name }
}

resource "awscc_sagemaker_inference_component" "this" {
  inference_component_name = var.name
  endpoint_name            = var.endpoint_name

  specification = {
    base_inference_component_name = var.base_inference_component_name
    container = {
      artifact_url = var.artifact_url
    }
  }

  tags = [for key in sort(keys(var.tags)) : { key = key, value = var.tags[key] }]

  lifecycle {
    replace_triggered_by = [terraform_data.placement]
  }
}
