"""Self-service requests (first: ECR registries): validate, plan every file edit, describe the change."""
