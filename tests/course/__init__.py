"""The course itself: notebooks executed, nbgrader round trips, wrong answers, references."""
