# elided values as written in seed 001
vpc_security_group_ids = [...]
