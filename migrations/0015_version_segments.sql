-- Segment drift settings per model version (issue 18): { "top_k"?: n }, the segments tracked with full windows (default 20).
ALTER TABLE "model_versions" ADD COLUMN "segments" jsonb DEFAULT '{}'::jsonb NOT NULL;
