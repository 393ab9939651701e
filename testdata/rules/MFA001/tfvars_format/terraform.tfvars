team = "payments"
env  = "staging"
