"""Old compression test from before the compressor moved to spaceport/compressor.

Kept for the reference numbers; the image name is the legacy one.
"""

import os
import subprocess
import unittest

REGISTRY = os.environ.get("ECR_REGISTRY", "123456789012.dkr.ecr.us-east-1.amazonaws.com")
LEGACY_COMPRESSOR = f"{REGISTRY}/spaceport-ml-sogs-compressor:latest"


@unittest.skipUnless(os.environ.get("RUN_CONTAINER_TESTS"), "set RUN_CONTAINER_TESTS=1 to run containers")
class SogsCompressionTest(unittest.TestCase):
    def test_compresses_sample_splat_below_a_tenth(self):
        here = os.path.dirname(os.path.abspath(__file__))
        subprocess.run(
            ["docker", "run", "--rm", "-v", f"{here}/data:/data", LEGACY_COMPRESSOR,
             "--input", "/data/sample.ply", "--output", "/data/out"],
            check=True,
        )
        original = os.path.getsize(os.path.join(here, "data", "sample.ply"))
        compressed = sum(
            os.path.getsize(os.path.join(here, "data", "out", name))
            for name in os.listdir(os.path.join(here, "data", "out"))
        )
        self.assertLess(compressed, original / 10)


if __name__ == "__main__":
    unittest.main()
