-- Seeds the showcase at scale: 10,000 players in 20 cities, 50,000 processed videos (5 each) and
-- 1,000,000 votes (100 per player, never for their own video), with the per-video and per-player counts
-- the application keeps. Set-based, so it takes seconds. Run on a migrated, empty database.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE cities(i int, name text, key text);
INSERT INTO cities VALUES
 (0,'Bogotá','bogota'),(1,'Medellín','medellin'),(2,'Cali','cali'),(3,'Barranquilla','barranquilla'),
 (4,'Cartagena','cartagena'),(5,'Cúcuta','cucuta'),(6,'Bucaramanga','bucaramanga'),(7,'Pereira','pereira'),
 (8,'Santa Marta','santa marta'),(9,'Ibagué','ibague'),(10,'Pasto','pasto'),(11,'Manizales','manizales'),
 (12,'Neiva','neiva'),(13,'Villavicencio','villavicencio'),(14,'Armenia','armenia'),(15,'Valledupar','valledupar'),
 (16,'Montería','monteria'),(17,'Sincelejo','sincelejo'),(18,'Popayán','popayan'),(19,'Tunja','tunja');

INSERT INTO users (id, first_name, last_name, email, password_hash, city, city_key, country, created_at, total_votes)
SELECT md5('u' || u)::uuid, 'Jugador', 'N' || u, 'seed' || u || '@example.com', 'not-a-login', c.name, c.key, 'Colombia',
       timestamptz '2026-01-01' + u * interval '1 minute', 0
FROM generate_series(0, 9999) u JOIN cities c ON c.i = u % 20;

INSERT INTO videos (id, owner_id, title, status, original_key, processed_key, uploaded_at, processing_started_at,
                    processed_at, attempts, vote_count)
SELECT md5('v' || v)::uuid, md5('u' || (v / 5))::uuid, 'Jugada ' || v, 'processed',
       'originals/' || md5('v' || v) || '.mp4', 'processed/' || md5('v' || v) || '.mp4',
       timestamptz '2026-02-01' + v * interval '10 seconds', timestamptz '2026-02-01' + v * interval '10 seconds',
       timestamptz '2026-02-01' + v * interval '10 seconds' + interval '20 seconds', 1, 0
FROM generate_series(0, 49999) v;

-- Player u votes for videos (u*37 + j*499) mod 50000, j = 0..99: distinct per player; skewed by a power
-- law on j so some videos are far more popular than others. Votes for one's own video are skipped,
-- then topped up from j = 100.. so every player casts exactly 100.
INSERT INTO votes (user_id, video_id, created_at)
SELECT md5('u' || u)::uuid, md5('v' || vid)::uuid, timestamptz '2026-03-01'
FROM (
  SELECT u, vid, row_number() OVER (PARTITION BY u ORDER BY j) AS n
  FROM (
    SELECT u, j, ((u * 37 + (j * j) % 50000 * 7 + j * 499) % 50000) AS vid
    FROM generate_series(0, 9999) u, generate_series(0, 119) j
  ) candidates
  WHERE vid / 5 <> u
) picked
WHERE n <= 100
ON CONFLICT DO NOTHING;

UPDATE videos v SET vote_count = c.n FROM (SELECT video_id, count(*) n FROM votes GROUP BY video_id) c WHERE c.video_id = v.id;
UPDATE users u SET total_votes = c.n
FROM (SELECT owner_id, sum(vote_count) n FROM videos GROUP BY owner_id) c WHERE c.owner_id = u.id;
COMMIT;
ANALYZE;
SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM videos) AS videos, (SELECT count(*) FROM votes) AS votes;
