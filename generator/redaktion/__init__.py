"""The editing page (/redaktion/): Decap CMS with forms made from the models."""
