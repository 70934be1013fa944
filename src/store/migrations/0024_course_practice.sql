-- 0024_course_practice: a course whose completion also asks for every one
-- of its published practice simulations done (course.md "practice: required").
ALTER TABLE courses ADD COLUMN needs_practice INTEGER NOT NULL DEFAULT 0;
