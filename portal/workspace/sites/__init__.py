"""A site of the workspace (a place where courses happen): its form, its pages, its writes."""
