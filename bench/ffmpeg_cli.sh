#!/usr/bin/env bash
# The ANB transformation as one hand-written ffmpeg command line, the bare baseline that bench/transcode.sh
# ("single") and bench/capacity_worker.sh (two parallel loops) set our worker against. Source it.
# It mirrors FfmpegVideoTranscoder: first 30 s, 720p letterboxed, 30 fps, logo at 70 %, 2.5 s intro and
# outro cards (each PNG decoded and fitted once, then repeated for 75 frames inside the graph), no audio; and, as a second output of the same graph, the poster: output frame 165 (3 s into
# the upload's part, after the 75 frames of the intro card) as a JPEG.

# Any frame scaled and letterboxed into 1280x720.
BENCH_FIT="scale=1280:720:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=1280:720:(ow-iw)/2:(oh-ih)/2:black,setsar=1"
# Inputs: 0 intro card, 1 upload, 2 outro card, 3 logo.
BENCH_GRAPH="[1:v]setpts=PTS-STARTPTS,fps=30,scale=trunc(iw*sar/2)*2:ih,setsar=1,$BENCH_FIT[main];\
[3:v]format=rgba,colorchannelmixer=aa=0.7[logo];\
[main][logo]overlay=x=W-w-24:y=H-h-24[marked];\
[0:v]$BENCH_FIT,format=yuv420p,loop=loop=74:size=1:start=0,setpts=N/30/TB[intro];\
[2:v]$BENCH_FIT,format=yuv420p,loop=loop=74:size=1:start=0,setpts=N/30/TB[outro];\
[intro][marked][outro]concat=n=3:v=1:a=0,split=2[v][frames];\
[frames]trim=start_frame=165:end_frame=166,format=yuvj420p[poster]"

# The worker's hardening (Transcoder:Threads, only the file protocol, the upload read as MP4/MOV), so both
# sides of the comparison do the same work.
BENCH_THREADS="${BENCH_THREADS:-2}"

# bench_x264_args PRESET CRF — the encoder arguments of every bench encode, one a line (read with mapfile).
bench_x264_args() { printf '%s\n' -c:v libx264 -preset "$1" -crf "$2" -pix_fmt yuv420p; }

# bench_ffmpeg_single ASSETS INPUT OUTPUT PRESET CRF — one ffmpeg run; ASSETS is the worker's Assets
# folder (anb-intro.png, anb-outro.png, anb-logo.png). The poster goes beside OUTPUT, as .jpg.
bench_ffmpeg_single() {
  local assets="$1" input="$2" output="$3" encode
  mapfile -t encode < <(bench_x264_args "$4" "$5")
  local contained=(-protocol_whitelist file -threads "$BENCH_THREADS")
  ffmpeg -v error -y -filter_complex_threads "$BENCH_THREADS" \
    "${contained[@]}" -framerate 30 -i "$assets/anb-intro.png" \
    "${contained[@]}" -f mov -t 30 -i "$input" \
    "${contained[@]}" -framerate 30 -i "$assets/anb-outro.png" \
    "${contained[@]}" -i "$assets/anb-logo.png" \
    -filter_complex "$BENCH_GRAPH" -map "[v]" -an "${encode[@]}" -movflags +faststart -f mp4 -threads "$BENCH_THREADS" \
    -xerror "$output" \
    -map "[poster]" -frames:v 1 -c:v mjpeg -q:v 4 -f image2 -update 1 -threads "$BENCH_THREADS" "${output%.*}.jpg"
}
