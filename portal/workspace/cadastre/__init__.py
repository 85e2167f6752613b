"""The cadastre's figures for coordinators and admins, with the operators of their areas."""
