#!/usr/bin/env bash
# The whole journey against a running ./run.sh: sign up, log in, upload a generated 40 s 1080p clip,
# wait for the worker, download the ANB version and show what ffprobe reads in it.
#   ANB_URL=http://127.0.0.1:8080 scripts/demo.sh
set -euo pipefail
API="${ANB_URL:-http://127.0.0.1:${ANB_HTTP_PORT:-8080}}"
OUT="${ANB_DEMO_DIR:-$(mktemp -d /tmp/anb-demo.XXXXXX)}"
mkdir -p "$OUT"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

curl -fsS "$API/health" >/dev/null || { echo "No API at $API: start ./run.sh first." >&2; exit 1; }

email="demo-$(date +%s)-$RANDOM@example.com"
echo "1. Sign up $email"
curl -fsS -X POST "$API/api/auth/signup" -H 'content-type: application/json' \
  -d "{\"first_name\":\"Demo\",\"last_name\":\"Player\",\"email\":\"$email\",\"password1\":\"s3cret-pass\",\"password2\":\"s3cret-pass\",\"city\":\"Bogotá\",\"country\":\"Colombia\"}"
echo
token="$(curl -fsS -X POST "$API/api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"s3cret-pass\"}" | json "['access_token']")"
echo "2. Logged in (token ${token:0:16}...)"

clip="$OUT/clip-1080p-40s.mp4"
if [ ! -s "$clip" ]; then
  echo "3. Generating a 40 s 1080p clip with FFmpeg"
  ffmpeg -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=30:duration=40 -f lavfi -i sine=frequency=440:duration=40 \
    -c:v libx264 -preset ultrafast -crf 30 -pix_fmt yuv420p -c:a aac -shortest "$clip"
fi

echo "4. Uploading"
upload="$(curl -fsS -X POST "$API/api/videos/upload" -H "authorization: Bearer $token" \
  -F "title=Demo: mi mejor jugada" -F "video_file=@$clip;type=video/mp4")"
echo "$upload"
id="$(echo "$upload" | json "['task_id']")"

echo "5. Waiting for the worker"
for _ in $(seq 1 240); do
  detail="$(curl -fsS "$API/api/videos/$id" -H "authorization: Bearer $token")"
  status="$(echo "$detail" | json "['status']")"
  printf '\r   status: %-12s' "$status"
  [ "$status" = processed ] && break
  [ "$status" = failed ] && { echo; echo "$detail"; exit 1; }
  sleep 1
done
echo
[ "$status" = processed ] || { echo "Not processed in 4 minutes." >&2; exit 1; }

url="$(echo "$detail" | json "['processed_url']")"
curl -fsS -o "$OUT/anb.mp4" "$url"
echo "6. Downloaded $OUT/anb.mp4:"
ffprobe -v error -show_entries stream=codec_type,codec_name,width,height,pix_fmt -show_entries format=duration -of compact "$OUT/anb.mp4"
