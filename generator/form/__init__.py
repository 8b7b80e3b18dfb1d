"""The superior's statistics form (报表), filled from the site's figures: sitegen form."""
