variable "env" {
  type    = string
  default = "prod"
}

variable "admin_name" {
  default = "admin"
}

locals {
  operator = "${var.env}-operator"
  auditor  = lower("AUDITOR")
}
