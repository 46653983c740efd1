"""Starts one stage of the Spaceport ML pipeline as a SageMaker job.

Drone video to compressed Gaussian splat in three stages, each a container image in our ECR registry:

  1. sfm         Structure-from-Motion with COLMAP 3.11.1      processing job  ml.c6i.4xlarge
  2. 3dgs        3D Gaussian Splatting training                training job    ml.g4dn.xlarge (GPU)
  3. compressor  SOGS-style compression of the trained splat   processing job  ml.c6i.4xlarge

The Step Functions workflow invokes this function once per stage with the job id and the S3
prefixes, {"jobId", "stage", "inputS3Uri", "outputS3Uri"}, and waits on the job name it returns.
"""

import json
import logging
import os
import re
import time

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

sagemaker = boto3.client("sagemaker")

ROLE_ARN = os.environ["SAGEMAKER_ROLE_ARN"]
MAX_RUNTIME_SECONDS = {"sfm": 6 * 3600, "3dgs": 8 * 3600, "compressor": 2 * 3600}
STAGES = ("sfm", "3dgs", "compressor")
JOB_ID = re.compile(r"^[A-Za-z0-9-]{1,40}$")


class BadRequest(Exception):
    """The event is malformed: the workflow fails the execution instead of retrying it."""


def _require(event, key):
    value = event.get(key)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"missing or empty '{key}'")
    return value


def _job_name(stage, job_id):
    # SageMaker job names are unique per account and region, at most 63 characters.
    return f"spaceport-{stage}-{job_id}-{int(time.time())}"[:63]


def _processing_job(name, image_uri, instance_type, input_s3_uri, output_s3_uri, max_runtime):
    return {
        "ProcessingJobName": name,
        "RoleArn": ROLE_ARN,
        "AppSpecification": {"ImageUri": image_uri},
        "ProcessingResources": {
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": instance_type, "VolumeSizeInGB": 100}
        },
        "ProcessingInputs": [
            {
                "InputName": "input",
                "S3Input": {
                    "S3Uri": input_s3_uri,
                    "LocalPath": "/opt/ml/processing/input",
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                },
            }
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": "output",
                    "S3Output": {
                        "S3Uri": output_s3_uri,
                        "LocalPath": "/opt/ml/processing/output",
                        "S3UploadMode": "EndOfJob",
                    },
                }
            ]
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": max_runtime},
    }


def lambda_handler(event, context):
    logger.info("start_ml_job event: %s", json.dumps(event))
    try:
        job_id = _require(event, "jobId")
        stage = _require(event, "stage")
        input_s3_uri = _require(event, "inputS3Uri")
        output_s3_uri = _require(event, "outputS3Uri")
        if not JOB_ID.match(job_id):
            raise BadRequest(f"jobId {job_id!r} is not 1-40 letters, digits or dashes")
        if stage not in STAGES:
            raise BadRequest(f"stage {stage!r} is not one of {', '.join(STAGES)}")
    except BadRequest as error:
        return {"statusCode": 400, "body": json.dumps({"error": str(error)})}

    # The stack pins each image with an environment variable; the defaults are the production tags.
    account = context.invoked_function_arn.split(":")[4]
    region = os.environ["AWS_REGION"]
    images = {
        "sfm": os.environ.get("SFM_IMAGE_URI") or f"{account}.dkr.ecr.{region}.amazonaws.com/spaceport/sfm:real-colmap-fixed-final",
        "3dgs": os.environ.get("GAUSSIAN_IMAGE_URI") or f"{account}.dkr.ecr.{region}.amazonaws.com/spaceport/3dgs:latest",
        "compressor": os.environ.get("COMPRESSOR_IMAGE_URI") or f"{account}.dkr.ecr.{region}.amazonaws.com/spaceport/compressor:latest",
    }

    name = _job_name(stage, job_id)
    if stage == "3dgs":
        sagemaker.create_training_job(
            TrainingJobName=name,
            RoleArn=ROLE_ARN,
            AlgorithmSpecification={"TrainingImage": images["3dgs"], "TrainingInputMode": "File"},
            InputDataConfig=[
                {
                    "ChannelName": "training",
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": input_s3_uri,
                            "S3DataDistributionType": "FullyReplicated",
                        }
                    },
                }
            ],
            OutputDataConfig={"S3OutputPath": output_s3_uri},
            ResourceConfig={"InstanceType": "ml.g4dn.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 100},
            StoppingCondition={"MaxRuntimeInSeconds": MAX_RUNTIME_SECONDS["3dgs"]},
            Environment={"JOB_ID": job_id},
        )
    else:
        sagemaker.create_processing_job(
            **_processing_job(
                name,
                images[stage],
                "ml.c6i.4xlarge",  # sfm: was ml.c6i.2xlarge, too small for COLMAP's matcher
                input_s3_uri,
                output_s3_uri,
                MAX_RUNTIME_SECONDS[stage],
            )
        )

    logger.info("started %s job %s with %s", stage, name, images[stage])
    return {"statusCode": 200, "body": json.dumps({"jobName": name, "stage": stage, "image": images[stage]})}
