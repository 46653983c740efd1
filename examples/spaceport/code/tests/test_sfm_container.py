"""Runs the SfM container on the bundled 12-frame sample and checks COLMAP's sparse model.

Needs Docker and an ECR login:
    aws ecr get-login-password | docker login --username AWS --password-stdin "$ECR_REGISTRY"
"""

import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

REGISTRY = os.environ.get("ECR_REGISTRY", "123456789012.dkr.ecr.us-east-1.amazonaws.com")
SFM_IMAGE = f"{REGISTRY}/spaceport/sfm:latest"
SAMPLE = Path(__file__).parent / "data" / "sample_frames"


@unittest.skipUnless(os.environ.get("RUN_CONTAINER_TESTS"), "set RUN_CONTAINER_TESTS=1 to run containers")
class SfmContainerTest(unittest.TestCase):
    def test_sparse_model_has_every_frame(self):
        with tempfile.TemporaryDirectory() as output:
            subprocess.run(
                [
                    "docker", "run", "--rm",
                    "-v", f"{SAMPLE}:/opt/ml/processing/input:ro",
                    "-v", f"{output}:/opt/ml/processing/output",
                    SFM_IMAGE,
                ],
                check=True,
                timeout=1800,
            )
            summary = json.loads((Path(output) / "sparse" / "summary.json").read_text())
            self.assertEqual(summary["registered_images"], 12)
            self.assertGreater(summary["points3D"], 1000)


if __name__ == "__main__":
    unittest.main()
