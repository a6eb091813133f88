"""Offline stand-ins for hashicorp/aws and hashicorp/awscc.

Each is a real Terraform provider plugin (go-plugin handshake, tfplugin6 over gRPC) that serves the
real providers' schemas and their replacement rules, plans like the real SDK would and applies
without AWS: unknowns are filled deterministically (ARNs from names). `sagespec review` plans with
them; the tests run validate, plan, apply and a second plan on the real modules with them.
"""
