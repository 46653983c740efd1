"""End-to-end: starts the whole Step Functions workflow on the sample upload and waits for it.

Runs against the staging account (PIPELINE_STATE_MACHINE_ARN) with the test images.
"""

import json
import os
import time
import unittest
import uuid

import boto3

ACCOUNT = os.environ.get("AWS_ACCOUNT_ID", "123456789012")
REGION = os.environ.get("AWS_REGION", "us-east-1")
ECR = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"

PIPELINE_INPUT = {
    "s3Url": "s3://spaceport-uploads-staging/samples/courtyard.zip",
    "email": "ml-tests@example.com",
    # The extractor unzips the upload before SfM; production unzips inside the SfM container.
    "extractorImageUri": f"{ECR}/sagemaker-unzip:latest",
    "sfmImageUri": f"{ECR}/spaceport/sfm:latest",
    "gaussianImageUri": f"{ECR}/spaceport/3dgs:latest",
    "compressorImageUri": f"{ECR}/spaceport/compressor:latest",
}


@unittest.skipUnless(os.environ.get("PIPELINE_STATE_MACHINE_ARN"), "needs PIPELINE_STATE_MACHINE_ARN (staging)")
class FullPipelineTest(unittest.TestCase):
    def test_sample_upload_produces_a_compressed_splat(self):
        sfn = boto3.client("stepfunctions", region_name=REGION)
        execution = sfn.start_execution(
            stateMachineArn=os.environ["PIPELINE_STATE_MACHINE_ARN"],
            name=f"e2e-{uuid.uuid4()}",
            input=json.dumps({**PIPELINE_INPUT, "jobId": uuid.uuid4().hex[:12]}),
        )
        deadline = time.time() + 3 * 3600
        while time.time() < deadline:
            status = sfn.describe_execution(executionArn=execution["executionArn"])["status"]
            if status != "RUNNING":
                break
            time.sleep(60)
        self.assertEqual(status, "SUCCEEDED")


if __name__ == "__main__":
    unittest.main()
