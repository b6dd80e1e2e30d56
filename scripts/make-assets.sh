#!/usr/bin/env bash
# Regenerates the ANB brand assets used by the transcoder (Anb.Infrastructure/Assets):
#   anb-logo.png   the watermark: a gold star and "ANB" on a transparent background (212x80)
#   anb-intro.png  the 1280x720 intro card; anb-outro.png the outro card
# Needs only ffmpeg (with drawtext) and the DejaVu fonts, both from `apt-get install ffmpeg`.
set -euo pipefail

OUT="${1:-$(cd "$(dirname "$0")/.." && pwd)/Anb.Infrastructure/Assets}"
FONT="${ANB_FONT:-$(fc-match -f '%{file}' 'DejaVu Sans:bold' 2>/dev/null || true)}"
[ -f "$FONT" ] || FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
[ -f "$FONT" ] || { echo "DejaVu Sans Bold not found; set ANB_FONT" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg not found" >&2; exit 1; }
mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# make_logo HEIGHT FILE: a five-pointed star drawn in polar form (radius of the edge at each angle,
# anti-aliased over one pixel) with a dark rim, followed by "ANB" in white with a dark outline.
make_logo() {
  local h="$1" file="$2" w=$(( $1 * 53 / 20 ))
  local cx="($h/2)" cy="($h*0.53)" ro="($h*0.46)" ri="($h*0.46*0.42)" rim="($h/28)"
  local dist="hypot(X-$cx,Y-$cy)"
  local sector="mod(atan2(Y-$cy,X-$cx)+PI/2+4*PI,2*PI/5)"
  local phi="min($sector,2*PI/5-$sector)"
  local edge="($ro*$ri*sin(PI/5)/($ri*sin(PI/5-$phi)+$ro*sin($phi)))"
  local inside="clip($edge-$dist,0,1)" gold="clip($edge-$rim-$dist,0,1)"
  local border=$(( h / 28 > 1 ? h / 28 : 1 ))
  ffmpeg -v error -y -f lavfi -i "color=c=black@0:s=${w}x${h},format=rgba" -frames:v 1 -vf \
    "geq=r='$gold*245+(1-$gold)*20':g='$gold*183+(1-$gold)*20':b='(1-$gold)*32':a='255*$inside',\
drawtext=fontfile=$FONT:text=ANB:fontsize=$(( h * 62 / 100 )):fontcolor=white:x=$(( h * 21 / 20 )):y=(h-th)/2:\
borderw=$border:bordercolor=0x141420" \
    -pix_fmt rgba "$file"
}

# make_card FILE CAPTION SUBTITLE: the large logo and two lines of text on a dark blue gradient.
make_card() {
  local file="$1"
  printf '%s' "$2" > "$TMP/caption.txt"
  printf '%s' "$3" > "$TMP/subtitle.txt"
  ffmpeg -v error -y \
    -f lavfi -i "color=c=black:s=1280x720,format=rgb24" -i "$TMP/logo-large.png" -frames:v 1 -filter_complex \
    "[0:v]geq=r='8+14*Y/H':g='14+22*Y/H':b='30+40*Y/H'[bg];\
[bg][1:v]overlay=x=(W-w)/2:y=150,\
drawtext=fontfile=$FONT:textfile=$TMP/caption.txt:fontsize=72:fontcolor=white:x=(w-tw)/2:y=420,\
drawtext=fontfile=$FONT:textfile=$TMP/subtitle.txt:fontsize=40:fontcolor=0xF5B700:x=(w-tw)/2:y=520,\
format=rgb24" \
    "$file"
}

make_logo 80 "$OUT/anb-logo.png"
make_logo 200 "$TMP/logo-large.png"
make_card "$OUT/anb-intro.png" "ANB Rising Stars" "Showcase"
make_card "$OUT/anb-outro.png" "ANB Rising Stars" "¡Vota por tu favorito!"
echo "assets written to $OUT"
