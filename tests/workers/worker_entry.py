"""Entry point of the worker subprocesses tests start (`celery -A tests.workers.worker_entry`).

The test app, configured from the environment the test passed: `MARKETPLACE_TEST_OVERRIDES`
(JSON config overrides, e.g. REDIS_URL, MAIL_DIR, CELERY) and `MARKETPLACE_TEST_IMPORTS`
(JSON list of modules defining test-only tasks).
"""
import json
import os
from importlib import import_module

from marketplace import create_app

for module_name in json.loads(os.environ.get("MARKETPLACE_TEST_IMPORTS", "[]")):
    import_module(module_name)

flask_app = create_app("test", **json.loads(os.environ.get("MARKETPLACE_TEST_OVERRIDES", "{}")))
app = flask_app.extensions["celery"]
