"""Generated data catalogs (images, instances, prices) and the scripts that regenerate them.

Read them through `sagespec.catalog.reader`; regenerate images.json and instances.json with
`python -m sagespec.catalog.generate` (make catalog) and prices.json with `sagespec prices --refresh`.
"""
