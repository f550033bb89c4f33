"""TuNet (Vu et al. 2019) in Keras 3 on TensorFlow: six cascade variants as model plugins.

Modules: :mod:`.options` (variants and options, no TensorFlow), :mod:`.data` (patch sampling,
numpy), :mod:`.layers`, :mod:`.network`, :mod:`.predict`, :mod:`.train`, :mod:`.checkpoints`
(Keras, imported lazily) and :mod:`.plugin` (the hook that registers the six model names).
"""
