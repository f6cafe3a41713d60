"""The register of recommended actions across audits."""
