"""The evaluator's workbench: the whole pipeline in a local browser app (``stigma-outcomes app``).

Optional extra ``[app]`` (Shiny for Python). Importing this package is cheap: the state logic
(:mod:`.state`, :mod:`.recognise`, :mod:`.uploads`) needs only the public API, and Shiny,
uvicorn and the pipeline load when :func:`stigma_outcomes.app.launch.serve` starts the server.

Modules
-------
uploads     checks on an uploaded file before any reader sees it (empty, image, too large)
recognise   per-file recognition summary and ``init``'s proposals as questionnaire blocks
state       the ``Workbench``: programme, exports, blocks, design, recognition, the run
project     the answers → ``evaluation.yaml`` + ``mapping.yaml`` (and the project zip)
security    per-start token, the token gate (ASGI), upload size limit, the ``--host`` rules
ui          the Shiny page: one screen per step, every control labelled
server      the Shiny server: reactive glue between the page and the ``Workbench``
panels      what steps 2-5 show; results: what step 6 shows and its downloads
launch      private temporary folder, uvicorn, the printed address, clean-up on stop
"""
