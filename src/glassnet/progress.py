"""``RichProgress``: a progress bar per epoch with the training and validation loss (rich)."""

from __future__ import annotations

from .nn import Callback

__all__ = ["RichProgress"]


class RichProgress(Callback):
    """One bar that advances each epoch and shows the latest losses.

    Draws on standard error (so ``> file`` captures only results); when training stops early
    the bar says so instead of sitting short of its end. The bar is transient, and
    ``print_final`` prints its final state once the caller has accepted the result, so a run that
    fails (diverges) leaves only its one-line error behind. ``console``: a ``rich.console.Console``.
    """

    def __init__(self, epochs, console=None, description="training"):
        self.epochs, self.console, self.description = int(epochs), console, description

    def on_train_begin(self, logs=None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = self.console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[losses]}"), TimeElapsedColumn(),
            # Off a terminal (a log, a pipe) nothing is drawn until the final state below.
            console=console, transient=True, disable=not console.is_terminal,
        )
        self.task = self.progress.add_task(self.description, total=self.epochs, losses="")
        self.progress.start()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        parts = [f"loss {logs['loss']:.4f}"] if "loss" in logs else []
        if "val_loss" in logs:
            parts.append(f"val_loss {logs['val_loss']:.4f}")
        if "val_accuracy" in logs:
            parts.append(f"val_acc {logs['val_accuracy']:.3f}")
        self.progress.update(self.task, completed=epoch + 1, losses="  ".join(parts))

    def on_train_end(self, logs=None):
        done = self.progress.tasks[0].completed
        if done < self.epochs:
            self.progress.update(self.task, description=f"stopped early at epoch {int(done)}",
                                 total=done)
        self.progress.stop()

    def print_final(self):
        """Print the bar's final state once (the caller does, after checking the result)."""
        self.progress.console.print(self.progress.get_renderable())
