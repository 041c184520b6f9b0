"""kubelab sandbox: the simulated cluster and its shell. Never imports Textual, Rich or tutor."""
