-- Where and how to reach an org unit (办公地址 · 联系电话 · 办公时间): printed on the 受理通知书
-- (the accepting org unit, and the township where a result is collected 就近领取). Admins edit them.
ALTER TABLE org_units ADD COLUMN address TEXT;
ALTER TABLE org_units ADD COLUMN phone TEXT;
ALTER TABLE org_units ADD COLUMN opening_hours TEXT;
