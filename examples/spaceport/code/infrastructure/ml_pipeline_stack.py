"""CDK stack of the ML pipeline: the container repositories, the SageMaker role and start_ml_job.

    cd infrastructure && cdk deploy SpaceportMlPipeline
"""

from aws_cdk import Duration, Stack
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

# The production tag of each stage's image. start_ml_job falls back to the same tags when a
# variable is missing.
PRODUCTION_TAGS = {
    "sfm": "real-colmap-fixed-final",
    "3dgs": "latest",
    "compressor": "latest",
}
IMAGE_VARIABLES = {
    "sfm": "SFM_IMAGE_URI",
    "3dgs": "GAUSSIAN_IMAGE_URI",
    "compressor": "COMPRESSOR_IMAGE_URI",
}


class MlPipelineStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        sagemaker_role = iam.Role(
            self,
            "SageMakerExecutionRole",
            role_name="spaceport-sagemaker-execution",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSageMakerFullAccess")],
        )

        self.repositories = {
            stage: self._repository(stage) for stage in PRODUCTION_TAGS
        }
        for repository in self.repositories.values():
            repository.grant_pull(sagemaker_role)

        start_ml_job = self._start_ml_job(sagemaker_role)
        sagemaker_role.grant_pass_role(start_ml_job)

    def _repository(self, stage: str) -> ecr.Repository:
        repository = ecr.Repository(
            self,
            f"{stage.capitalize()}Repository",
            repository_name=f"spaceport/{stage}",
            image_scan_on_push=True,
            # deploy.sh pushes an image on every build (a timestamp tag and latest): ten images
            # are a few weeks of builds to roll back to. The rule counts every image, production
            # tags included, so ten builds after real-colmap-fixed-final it expires that image
            # (ecrctl plan refuses this policy for that reason and prints a protective rule).
            lifecycle_rules=[
                ecr.LifecycleRule(
                    max_image_count=10,
                    rule_priority=1,
                    description="Keep only 10 most recent images",
                )
            ],
        )
        return repository

    def _start_ml_job(self, sagemaker_role: iam.Role) -> lambda_.Function:
        environment = {"SAGEMAKER_ROLE_ARN": sagemaker_role.role_arn}
        for stage, tag in PRODUCTION_TAGS.items():
            environment[IMAGE_VARIABLES[stage]] = self.repositories[stage].repository_uri_for_tag(tag)

        function = lambda_.Function(
            self,
            "StartMlJob",
            function_name="start_ml_job",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="lambda_function.lambda_handler",
            code=lambda_.Code.from_asset("../start_ml_job"),
            timeout=Duration.seconds(30),
            memory_size=256,
            environment=environment,
        )
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["sagemaker:CreateProcessingJob", "sagemaker:CreateTrainingJob", "sagemaker:AddTags"],
                resources=["*"],
            )
        )
        return function
