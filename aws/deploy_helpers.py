#!/usr/bin/env python3
"""JSON helpers for aws/deploy.sh (standard library only).

  render SRC DEST            replace every ${NAME} in SRC with the environment variable NAME, JSON-escaped;
                             fail on an unset variable or on a result that is not JSON
  get FILE KEY               print a top-level value of a JSON file
  outputs FILE               print "key<TAB>value" lines from a describe-stacks answer or its Outputs list
  covers WANTED ACTUAL       exit 0 when every value of WANTED is present and equal in ACTUAL
  update-input CREATE CURRENT DEST
                             write an update-service input from a create-service input: the task
                             definition plus every updatable field that differs from the CURRENT service
  set-target FILE VALUE      set TargetTrackingScalingPolicyConfiguration.TargetValue of a rendered policy
"""
import json
import os
import re
import sys

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Fields of create-service that update-service also takes. desiredCount is left out on purpose:
# once the service exists, Application Auto Scaling owns it.
UPDATABLE = ["networkConfiguration", "loadBalancers", "deploymentConfiguration",
             "healthCheckGracePeriodSeconds", "platformVersion", "propagateTags", "enableECSManagedTags"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def render(src, dest):
    with open(src, encoding="utf-8") as f:
        text = f.read()
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in os.environ})
    if missing:
        sys.exit(f"{src}: no value for {', '.join(missing)}")
    out = PLACEHOLDER.sub(lambda m: json.dumps(os.environ[m.group(1)])[1:-1], text)
    json.loads(out)
    with open(dest, "w", encoding="utf-8") as f:
        f.write(out)


def _normalise(key, value):
    if key in ("environment", "secrets") and isinstance(value, list):
        # Empty values never reach a Fargate container; order carries no meaning.
        kept = [v for v in value if v.get("value", v.get("valueFrom")) != ""]
        return sorted(kept, key=lambda v: v["name"])
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(value)  # subnets, security groups: sets
    return value


def covered(wanted, actual):
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and all(
            k in actual and covered(_normalise(k, v), _normalise(k, actual[k])) for k, v in wanted.items())
    if isinstance(wanted, list):
        return isinstance(actual, list) and len(wanted) == len(actual) and all(
            covered(w, a) for w, a in zip(_normalise(None, wanted), _normalise(None, actual)))
    return wanted == actual


def outputs(path):
    data = load(path)
    if isinstance(data, dict):
        data = data["Stacks"][0].get("Outputs") or []
    for item in data:
        print(f"{item['OutputKey']}\t{item['OutputValue']}")


def update_input(create_path, current_path, dest):
    wanted, actual = load(create_path), load(current_path) or {}
    update = {"cluster": wanted["cluster"], "service": wanted["serviceName"],
              "taskDefinition": wanted["taskDefinition"]}
    for key in UPDATABLE:
        if key in wanted and not covered(wanted[key], actual.get(key)):
            update[key] = wanted[key]
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(update, f, indent=2)


def set_target(path, value):
    try:
        number = float(value)
    except ValueError:
        sys.exit(f"{path}: target '{value}' is not a number")
    if number <= 0:
        sys.exit(f"{path}: target {value} must be above 0")
    policy = load(path)
    policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] = number
    with open(path, "w", encoding="utf-8") as f:
        json.dump(policy, f, indent=2)


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "render":
        render(*args)
    elif command == "get":
        value = (load(args[0]) or {}).get(args[1], "")
        print(value if value is not None else "")
    elif command == "outputs":
        outputs(*args)
    elif command == "covers":
        return 0 if covered(load(args[0]), load(args[1])) else 1
    elif command == "update-input":
        update_input(*args)
    elif command == "set-target":
        set_target(*args)
    else:
        sys.exit(f"unknown command {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
