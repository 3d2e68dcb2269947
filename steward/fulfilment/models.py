"""The fulfilment tables."""
