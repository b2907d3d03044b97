-- Run once, by the db's entrypoint, when its data volume is empty.
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  item text NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  replica text NOT NULL
);
