"""In-app notifications and the e-mail sent about them."""
