from glassnet.nn import EarlyStopping


class _Model:
    stop_training = False


def test_early_stopping_stops_after_exactly_patience_epochs_without_improvement():
    # As its docstring and Keras say: patience=3 tolerates 3 worse epochs, then stops.
    stopper, model = EarlyStopping(patience=3), _Model()
    stopper.set_model(model)
    stopper.on_train_begin()
    for epoch, value in enumerate([1.0, 0.5, 0.6, 0.7, 0.8, 0.9]):
        stopper.on_epoch_end(epoch, {"val_loss": value})
        if model.stop_training:
            break
    assert (stopper.best_epoch, stopper.stopped_epoch) == (1, 4)
