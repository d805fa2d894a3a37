"""``python -m newsgraph.eval``: the eval command group on its own."""
from .cli import eval_group

if __name__ == "__main__":
    eval_group(prog_name="python -m newsgraph.eval")
