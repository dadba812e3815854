-- The latest catalogue version and the one in force at any position.
-- Definitions hold no data: warehouse/db.py re-applies every file of this folder, in name
-- order, after the migrations, each time the warehouse opens (Warehouse.migrate).

-- Views over the latest catalogue version (views hold no data, so checksums skip them).
CREATE OR REPLACE VIEW latest_catalogue AS
SELECT * FROM catalogue_versions
WHERE position = (SELECT max(position) FROM catalogue_versions);

CREATE OR REPLACE VIEW members AS
SELECT m.org_code, m.name, m.member_type, m.peer_groups, m.ordinal
FROM member_versions AS m
JOIN latest_catalogue AS c ON m.position = c.position;

CREATE OR REPLACE VIEW measures AS
SELECT m.* EXCLUDE (position)
FROM measure_versions AS m
JOIN latest_catalogue AS c ON m.position = c.position;

CREATE OR REPLACE VIEW peer_groups AS
SELECT p.* EXCLUDE (position)
FROM peer_group_versions AS p
JOIN latest_catalogue AS c ON p.position = c.position;

-- The catalogue version (its log position) in force at log position pos.
CREATE OR REPLACE MACRO catalogue_position_at(pos) AS
    (SELECT max(position) FROM catalogue_versions WHERE position <= pos);
