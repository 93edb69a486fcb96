"""cityindex: build, review, publish and analyse a smart-city digital index of cities."""

__version__ = "0.1.0"
