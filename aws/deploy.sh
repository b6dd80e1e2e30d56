#!/usr/bin/env bash
# Deploys ANB Rising Stars to AWS (see aws/README.md and docs/deployment.md):
#   1. the CloudFormation stack (aws/infrastructure.yaml),
#   2. the API and worker images, built and pushed to the stack's ECR repositories when docker can build,
#   3. the task definitions, then the database migrations as a one-off ECS task (waited for), then the
#      ECS services and their autoscaling, rendered from the JSON files under aws/ with the stack outputs.
# Every step is idempotent: a second run with the same inputs changes nothing.
# Honours AWS_ENDPOINT_URL (passed to every aws call as --endpoint-url) for emulators such as moto.
set -euo pipefail

if [ "${BASH_VERSINFO[0]}" -lt 4 ] || { [ "${BASH_VERSINFO[0]}" -eq 4 ] && [ "${BASH_VERSINFO[1]}" -lt 4 ]; }; then
  echo "[deploy] error: bash 4.4 or newer is needed (macOS: brew install bash)" >&2
  exit 1
fi

AWS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$AWS_DIR/.." && pwd)"

usage() {
  cat <<'EOF'
Usage: aws/deploy.sh [options]

  --stack-name NAME      CloudFormation stack, also the resource prefix (default: $STACK_NAME or "anb";
                         lower case, 2-25 characters)
  --region REGION        AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION or the CLI profile's region)
  --image-tag TAG        image tag to build or deploy (default: the git commit, with a -dirty-<time>
                         suffix when building from a modified work tree)
  --skip-stack           do not deploy the stack; read the outputs of the existing stack
  --outputs-file FILE    with --skip-stack: read the outputs from FILE instead (the Outputs list of
                         describe-stacks, or a whole describe-stacks answer)
  --skip-images          do not build or push images; TAG must already be in both ECR repositories
  --parameter KEY=VALUE  extra stack parameter override (repeatable), e.g. DbMultiAz=true
  --certificate-arn ARN  ACM certificate for the HTTPS listener (same as --parameter CertificateArn=ARN);
                         the stack needs one unless --allow-plain-http
  --allow-plain-http     throwaway demo without HTTPS (same as --parameter AllowPlainHttp=true)
  --alarm-topic-arn ARN  SNS topic the alarms notify (same as --parameter AlarmTopicArn=ARN; default:
                         $ALARM_TOPIC_ARN, else the stack's own topic)
  --no-wait              do not wait for the services to become stable
  -h, --help             this help

Environment: API_SERVICE_NAME (api), WORKER_SERVICE_NAME (worker), API_MIN_CAPACITY (2),
API_MAX_CAPACITY (3), WORKER_MIN_CAPACITY (1), WORKER_MAX_CAPACITY (3), scaling targets overriding the
policy files: API_CPU_TARGET (70), API_MEMORY_TARGET (60), API_REQUESTS_TARGET (80 per target per minute),
WORKER_CPU_TARGET (65), WORKER_BACKLOG_TARGET (2 videos per task), each a number or "off" (policy not
applied, and removed if present); MIGRATION_TIMEOUT_SECONDS (900),
MIGRATION_POLL_SECONDS (6); API_IMAGE and WORKER_IMAGE (full image references, overriding
<repository>:<tag>), DOCKER (docker command), ALARM_TOPIC_ARN, AWS_ENDPOINT_URL.
EOF
}

log() { printf '[deploy] %s\n' "$*" >&2; }
die() { printf '[deploy] error: %s\n' "$*" >&2; exit 1; }

STACK_NAME="${STACK_NAME:-anb}"
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
IMAGE_TAG="${IMAGE_TAG:-}"
SKIP_STACK=0
SKIP_IMAGES=0
WAIT=1
OUTPUTS_FILE=""
STACK_PARAMETERS=()
ALARM_TOPIC_ARN="${ALARM_TOPIC_ARN:-}"

while [ $# -gt 0 ]; do
  case "$1" in
    --stack-name) STACK_NAME="${2:?--stack-name needs a value}"; shift 2 ;;
    --region) REGION="${2:?--region needs a value}"; shift 2 ;;
    --image-tag) IMAGE_TAG="${2:?--image-tag needs a value}"; shift 2 ;;
    --skip-stack) SKIP_STACK=1; shift ;;
    --skip-images) SKIP_IMAGES=1; shift ;;
    --outputs-file) OUTPUTS_FILE="${2:?--outputs-file needs a value}"; shift 2 ;;
    --parameter) STACK_PARAMETERS+=("${2:?--parameter needs KEY=VALUE}"); shift 2 ;;
    --certificate-arn) STACK_PARAMETERS+=("CertificateArn=${2:?--certificate-arn needs a value}"); shift 2 ;;
    --allow-plain-http) STACK_PARAMETERS+=("AllowPlainHttp=true"); shift ;;
    --alarm-topic-arn) ALARM_TOPIC_ARN="${2:?--alarm-topic-arn needs a value}"; shift 2 ;;
    --no-wait) WAIT=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

DOCKER="${DOCKER:-docker}"
API_SERVICE_NAME="${API_SERVICE_NAME:-api}"
WORKER_SERVICE_NAME="${WORKER_SERVICE_NAME:-worker}"
API_MIN_CAPACITY="${API_MIN_CAPACITY:-2}"
API_MAX_CAPACITY="${API_MAX_CAPACITY:-3}"
WORKER_MIN_CAPACITY="${WORKER_MIN_CAPACITY:-1}"
WORKER_MAX_CAPACITY="${WORKER_MAX_CAPACITY:-3}"
MIGRATION_TIMEOUT_SECONDS="${MIGRATION_TIMEOUT_SECONDS:-900}"
MIGRATION_POLL_SECONDS="${MIGRATION_POLL_SECONDS:-6}"

[[ "$STACK_NAME" =~ ^[a-z][a-z0-9-]{1,24}$ ]] || die "stack name '$STACK_NAME' must match ^[a-z][a-z0-9-]{1,24}$"
[ -z "$OUTPUTS_FILE" ] || [ "$SKIP_STACK" -eq 1 ] || die "--outputs-file only makes sense with --skip-stack"
[ -z "$OUTPUTS_FILE" ] || [ -r "$OUTPUTS_FILE" ] || die "cannot read $OUTPUTS_FILE"
for n in API_MIN_CAPACITY API_MAX_CAPACITY WORKER_MIN_CAPACITY WORKER_MAX_CAPACITY MIGRATION_TIMEOUT_SECONDS MIGRATION_POLL_SECONDS; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || die "$n must be a whole number"
done
[ "$API_MIN_CAPACITY" -le "$API_MAX_CAPACITY" ] || die "API_MIN_CAPACITY > API_MAX_CAPACITY"
[ "$WORKER_MIN_CAPACITY" -le "$WORKER_MAX_CAPACITY" ] || die "WORKER_MIN_CAPACITY > WORKER_MAX_CAPACITY"
command -v aws >/dev/null || die "the AWS CLI is not on PATH"
command -v python3 >/dev/null || die "python3 is needed to render the JSON inputs"

# The AWS CLI v1 ignores AWS_ENDPOINT_URL for some services (its SQS endpoint override in us-east-1),
# so the endpoint is always passed explicitly.
ENDPOINT_ARGS=()
[ -z "${AWS_ENDPOINT_URL:-}" ] || ENDPOINT_ARGS=(--endpoint-url "$AWS_ENDPOINT_URL")
export AWS_PAGER=""
if [ -z "$REGION" ]; then
  REGION="$(aws configure get region 2>/dev/null || true)"
fi
[ -n "$REGION" ] || die "no region: pass --region or set AWS_REGION"
awscli() { aws --region "$REGION" "${ENDPOINT_ARGS[@]}" "$@"; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/anb-deploy.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# --------------------------------------------------------------------------- helpers

helpers() { python3 "$AWS_DIR/deploy_helpers.py" "$@"; }
# render SRC DEST: every ${NAME} becomes the environment variable NAME; an unset one is an error.
render() { helpers render "$1" "$2"; }
json_get() { helpers get "$1" "$2"; }
# covers WANTED ACTUAL: every value of WANTED is already in ACTUAL (which may hold more).
covers() { helpers covers "$1" "$2"; }

docker_can_build() { command -v "$DOCKER" >/dev/null 2>&1 && "$DOCKER" info >/dev/null 2>&1; }

image_in_ecr() { # REPOSITORY_URI TAG
  awscli ecr describe-images --repository-name "${1#*/}" --image-ids "imageTag=$2" >/dev/null 2>&1
}

# --------------------------------------------------------------------------- steps

deploy_stack() {
  # The service names go to the stack for its dashboard; --parameter overrides come last and win.
  local params=("EnvironmentName=$STACK_NAME" "ApiServiceName=$API_SERVICE_NAME" "WorkerServiceName=$WORKER_SERVICE_NAME")
  [ -z "$ALARM_TOPIC_ARN" ] || params+=("AlarmTopicArn=$ALARM_TOPIC_ARN")
  params+=("${STACK_PARAMETERS[@]}")
  log "deploying stack $STACK_NAME in $REGION"
  awscli cloudformation deploy \
    --stack-name "$STACK_NAME" \
    --template-file "$AWS_DIR/infrastructure.yaml" \
    --capabilities CAPABILITY_IAM \
    --no-fail-on-empty-changeset \
    --parameter-overrides "${params[@]}" \
    --tags Application=anb-rising-stars >&2
}

declare -A OUTPUT=()
load_outputs() {
  local source="$WORK/outputs.json" key value
  if [ -n "$OUTPUTS_FILE" ]; then
    log "reading stack outputs from $OUTPUTS_FILE"
    cp "$OUTPUTS_FILE" "$source"
  else
    log "reading outputs of stack $STACK_NAME"
    awscli cloudformation describe-stacks --stack-name "$STACK_NAME" --output json >"$source" \
      || die "stack $STACK_NAME not found (deploy it first, or pass --outputs-file)"
  fi
  while IFS=$'\t' read -r key value; do
    OUTPUT["$key"]="$value"
  done < <(helpers outputs "$source")
}

output() { # output KEY -> value, or die
  [ -n "${OUTPUT[$1]:-}" ] || die "stack output $1 is missing"
  printf '%s' "${OUTPUT[$1]}"
}

# Exposes the outputs under the placeholder names used in the JSON files.
export_placeholders() {
  export STACK_NAME AWS_REGION="$REGION" API_SERVICE_NAME WORKER_SERVICE_NAME
  export CLUSTER_NAME PRIVATE_SUBNET_1 PRIVATE_SUBNET_2 API_SECURITY_GROUP WORKER_SECURITY_GROUP \
    TARGET_GROUP_ARN ALB_RESOURCE_LABEL BUCKET_NAME QUEUE_URL QUEUE_NAME QUEUE_VISIBILITY_TIMEOUT DB_HOST DB_PORT \
    DB_NAME DB_USERNAME DB_SECRET_ARN DB_APP_USERNAME DB_APP_SECRET_ARN JWT_SECRET_ARN TASK_EXECUTION_ROLE_ARN API_TASK_ROLE_ARN WORKER_TASK_ROLE_ARN \
    API_LOG_GROUP WORKER_LOG_GROUP API_REPOSITORY_URI WORKER_REPOSITORY_URI \
    COLLECTOR_LOG_GROUP METRICS_LOG_GROUP OTEL_COLLECTOR_CONFIG
  CLUSTER_NAME="$(output ClusterName)"
  PRIVATE_SUBNET_1="$(output PrivateSubnet1)"
  PRIVATE_SUBNET_2="$(output PrivateSubnet2)"
  API_SECURITY_GROUP="$(output ApiSecurityGroupId)"
  WORKER_SECURITY_GROUP="$(output WorkerSecurityGroupId)"
  TARGET_GROUP_ARN="$(output TargetGroupArn)"
  ALB_RESOURCE_LABEL="$(output AlbResourceLabel)"
  BUCKET_NAME="$(output BucketName)"
  QUEUE_URL="$(output QueueUrl)"
  QUEUE_NAME="$(output QueueName)"
  QUEUE_VISIBILITY_TIMEOUT="$(output QueueVisibilityTimeoutSeconds)"
  DB_HOST="$(output DbEndpoint)"
  DB_PORT="$(output DbPort)"
  DB_NAME="$(output DbName)"
  DB_USERNAME="$(output DbUsername)"
  DB_SECRET_ARN="$(output DbSecretArn)"
  DB_APP_USERNAME="$(output DbAppUsername)"
  DB_APP_SECRET_ARN="$(output DbAppSecretArn)"
  JWT_SECRET_ARN="$(output JwtSecretArn)"
  TASK_EXECUTION_ROLE_ARN="$(output TaskExecutionRoleArn)"
  API_TASK_ROLE_ARN="$(output ApiTaskRoleArn)"
  WORKER_TASK_ROLE_ARN="$(output WorkerTaskRoleArn)"
  API_LOG_GROUP="$(output ApiLogGroupName)"
  WORKER_LOG_GROUP="$(output WorkerLogGroupName)"
  API_REPOSITORY_URI="$(output ApiRepositoryUri)"
  WORKER_REPOSITORY_URI="$(output WorkerRepositoryUri)"
  COLLECTOR_LOG_GROUP="$(output CollectorLogGroupName)"
  METRICS_LOG_GROUP="$(output MetricsLogGroupName)"
  # The collector sidecars' configuration travels whole in their AOT_CONFIG_CONTENT: a change to the file
  # is a change to the task definitions, hence a new revision and a rolling deployment.
  OTEL_COLLECTOR_CONFIG="$(cat "$AWS_DIR/otel-collector.yaml")"
}

choose_image_tag() {
  [ -z "$IMAGE_TAG" ] || return 0
  command -v git >/dev/null && git -C "$REPO_ROOT" rev-parse HEAD >/dev/null 2>&1 \
    || die "no git work tree here: pass --image-tag"
  IMAGE_TAG="$(git -C "$REPO_ROOT" rev-parse --short=12 HEAD)"
  # A modified tree never reuses the commit's tag (the repositories are IMMUTABLE).
  if [ "$SKIP_IMAGES" -eq 0 ] && [ -n "$(git -C "$REPO_ROOT" status --porcelain)" ]; then
    IMAGE_TAG="$IMAGE_TAG-dirty-$(date -u +%Y%m%d%H%M%S)"
  fi
}

build_and_push_images() {
  export API_IMAGE="${API_IMAGE:-$API_REPOSITORY_URI:$IMAGE_TAG}"
  export WORKER_IMAGE="${WORKER_IMAGE:-$WORKER_REPOSITORY_URI:$IMAGE_TAG}"
  if [ "$SKIP_IMAGES" -eq 1 ]; then
    log "--skip-images: deploying $API_IMAGE and $WORKER_IMAGE as they are"
    return 0
  fi
  if ! docker_can_build; then
    image_in_ecr "$API_REPOSITORY_URI" "$IMAGE_TAG" && image_in_ecr "$WORKER_REPOSITORY_URI" "$IMAGE_TAG" \
      || die "docker cannot build here ('docker info' failed) and tag $IMAGE_TAG is not in both ECR repositories; build and push elsewhere, then rerun with --skip-images --image-tag TAG"
    log "docker cannot build here; tag $IMAGE_TAG is already in ECR"
    return 0
  fi
  log "logging docker in to ${API_REPOSITORY_URI%%/*}"
  awscli ecr get-login-password | "$DOCKER" login --username AWS --password-stdin "${API_REPOSITORY_URI%%/*}" >&2
  local name uri
  for name in api worker; do
    if [ "$name" = api ]; then uri="$API_REPOSITORY_URI"; else uri="$WORKER_REPOSITORY_URI"; fi
    if image_in_ecr "$uri" "$IMAGE_TAG"; then
      log "$uri:$IMAGE_TAG already pushed"
      continue
    fi
    log "building $uri:$IMAGE_TAG"
    # BuildKit reads aws/Dockerfile.<name>.dockerignore, which keeps bin/ and obj/ out of the context.
    DOCKER_BUILDKIT=1 "$DOCKER" build --platform linux/amd64 -f "$AWS_DIR/Dockerfile.$name" -t "$uri:$IMAGE_TAG" "$REPO_ROOT" >&2
    "$DOCKER" push "$uri:$IMAGE_TAG" >&2
  done
}

# register_task_definition NAME -> prints the ARN; reuses the family's latest revision when it already
# holds exactly this definition, so a rerun does not start a new deployment.
register_task_definition() {
  local rendered="$WORK/task-$1.json" current="$WORK/task-$1.current.json" family
  render "$AWS_DIR/task-definitions/$1.json" "$rendered"
  family="$(json_get "$rendered" family)"
  if awscli ecs describe-task-definition --task-definition "$family" --query taskDefinition --output json \
    >"$current" 2>/dev/null && covers "$rendered" "$current"; then
    log "task definition $family unchanged"
    json_get "$current" taskDefinitionArn
  else
    log "registering task definition $family"
    awscli ecs register-task-definition --cli-input-json "file://$rendered" \
      --query taskDefinition.taskDefinitionArn --output text
  fi
}

# deploy_service NAME SERVICE_NAME: create-service when missing, update-service otherwise.
deploy_service() {
  local name="$1" service="$2" rendered="$WORK/service-$1.json" current="$WORK/service-$1.current.json" status
  render "$AWS_DIR/services/$name.json" "$rendered"
  awscli ecs describe-services --cluster "$CLUSTER_NAME" --services "$service" --query 'services[0]' \
    --output json >"$current"
  status="$(json_get "$current" status)"
  case "$status" in
    ACTIVE)
      # update-service takes a subset of create-service's input; send the task definition and whatever
      # differs from the running service, never desiredCount (autoscaling owns it).
      helpers update-input "$rendered" "$current" "$WORK/service-$name.update.json"
      log "updating service $service"
      awscli ecs update-service --cli-input-json "file://$WORK/service-$name.update.json" >/dev/null
      ;;
    DRAINING) die "service $service is still draining after a delete; wait and rerun" ;;
    *)
      log "creating service $service"
      awscli ecs create-service --cli-input-json "file://$rendered" >/dev/null
      ;;
  esac
}

# run_migrations: the worker image's `migrate` command as a one-off task with the master secret (it applies
# the migrations and grants the application role its data rights). The services are updated only after it
# stopped with exit code 0: new code never meets an old schema, and the hosts do not migrate themselves.
run_migrations() {
  local rendered="$WORK/run-migrate.json" task state status code reason deadline
  export MIGRATE_TASK_DEFINITION_ARN
  MIGRATE_TASK_DEFINITION_ARN="$(register_task_definition migrate)"
  render "$AWS_DIR/tasks/migrate.json" "$rendered"
  task="$(awscli ecs run-task --cli-input-json "file://$rendered" --query 'tasks[0].taskArn' --output text)"
  [ -n "$task" ] && [ "$task" != None ] || die "the migration task did not start"
  log "migration task $task started; waiting for it to stop"
  deadline=$((SECONDS + MIGRATION_TIMEOUT_SECONDS))
  while true; do
    state="$(awscli ecs describe-tasks --cluster "$CLUSTER_NAME" --tasks "$task" \
      --query 'tasks[0].[lastStatus, containers[0].exitCode, stoppedReason]' --output text)"
    IFS=$'\t' read -r status code reason <<<"$state"
    [ "$status" != STOPPED ] || break
    [ "$SECONDS" -lt "$deadline" ] || die "migration task $task still $status after ${MIGRATION_TIMEOUT_SECONDS}s; services not updated"
    sleep "$MIGRATION_POLL_SECONDS"
  done
  [ "$code" = 0 ] || die "migration task $task failed (exit code $code: $reason); services not updated (logs: $WORKER_LOG_GROUP, prefix migrate)"
  log "migrations applied"
}

# A circuit-breaker rollback leaves the service stable on the previous revision: report it as a failure.
check_rollout() { # SERVICE_NAME EXPECTED_TASK_DEFINITION_ARN
  local primary
  primary="$(awscli ecs describe-services --cluster "$CLUSTER_NAME" --services "$1" \
    --query 'services[0].deployments[?status==`PRIMARY`] | [0].[taskDefinition, rolloutState]' --output text)"
  case "$primary" in
    "$2"*FAILED*) die "service $1: deployment of $2 failed" ;;
    "$2"*) log "service $1 runs $2" ;;
    *) die "service $1 runs '$primary' instead of $2 (rolled back by the circuit breaker?)" ;;
  esac
}

# configure_scaling NAME SERVICE_NAME MIN MAX: scalable target, every aws/scaling/NAME-policy-*.json, and
# removal of policies on the target that no file describes any more.
configure_scaling() {
  local name="$1" service="$2" min="$3" max="$4" file rendered policy target_variable wanted=() existing
  rendered="$WORK/scaling-$name-target.json"
  render "$AWS_DIR/scaling/$name-target.json" "$rendered"
  log "scalable target $service: min $min, max $max"
  awscli application-autoscaling register-scalable-target --cli-input-json "file://$rendered" \
    --min-capacity "$min" --max-capacity "$max" >/dev/null
  for file in "$AWS_DIR/scaling/$name"-policy-*.json; do
    rendered="$WORK/scaling-$(basename "$file")"
    render "$file" "$rendered"
    policy="$(json_get "$rendered" PolicyName)"
    target_variable="${name^^}_${policy^^}_TARGET"
    if [ "${!target_variable:-}" = off ]; then
      log "scaling policy $service/$policy: off ($target_variable)"
      continue
    fi
    if [ -n "${!target_variable:-}" ]; then
      helpers set-target "$rendered" "${!target_variable}"
      log "scaling policy $service/$policy: target ${!target_variable} (from $target_variable)"
    fi
    wanted+=("$policy")
    log "scaling policy $service/$policy"
    awscli application-autoscaling put-scaling-policy --cli-input-json "file://$rendered" >/dev/null
  done
  existing="$(awscli application-autoscaling describe-scaling-policies --service-namespace ecs \
    --resource-id "service/$CLUSTER_NAME/$service" --scalable-dimension ecs:service:DesiredCount \
    --query 'ScalingPolicies[].PolicyName' --output text)"
  for policy in $existing; do
    [ "$policy" != None ] || continue
    if ! printf '%s\n' "${wanted[@]}" | grep -qxF "$policy"; then
      log "removing obsolete scaling policy $service/$policy"
      awscli application-autoscaling delete-scaling-policy --service-namespace ecs \
        --resource-id "service/$CLUSTER_NAME/$service" --scalable-dimension ecs:service:DesiredCount \
        --policy-name "$policy" >/dev/null
    fi
  done
}

# --------------------------------------------------------------------------- main

if [ "$SKIP_STACK" -eq 0 ]; then
  deploy_stack
else
  log "--skip-stack: using the existing stack's outputs"
fi
load_outputs
export_placeholders
choose_image_tag
build_and_push_images

export API_TASK_DEFINITION_ARN WORKER_TASK_DEFINITION_ARN
API_TASK_DEFINITION_ARN="$(register_task_definition api)"
WORKER_TASK_DEFINITION_ARN="$(register_task_definition worker)"

run_migrations

deploy_service api "$API_SERVICE_NAME"
deploy_service worker "$WORKER_SERVICE_NAME"

if [ "$WAIT" -eq 1 ]; then
  log "waiting for $API_SERVICE_NAME and $WORKER_SERVICE_NAME to become stable"
  awscli ecs wait services-stable --cluster "$CLUSTER_NAME" --services "$API_SERVICE_NAME" "$WORKER_SERVICE_NAME"
  check_rollout "$API_SERVICE_NAME" "$API_TASK_DEFINITION_ARN"
  check_rollout "$WORKER_SERVICE_NAME" "$WORKER_TASK_DEFINITION_ARN"
fi

configure_scaling api "$API_SERVICE_NAME" "$API_MIN_CAPACITY" "$API_MAX_CAPACITY"
configure_scaling worker "$WORKER_SERVICE_NAME" "$WORKER_MIN_CAPACITY" "$WORKER_MAX_CAPACITY"

log "done: cluster $CLUSTER_NAME, $API_SERVICE_NAME -> $API_TASK_DEFINITION_ARN, $WORKER_SERVICE_NAME -> $WORKER_TASK_DEFINITION_ARN"
[ -z "${OUTPUT[ApiUrl]:-}" ] || log "API: ${OUTPUT[ApiUrl]}"
