//! What a cloud provider's resources declare, written once for every
//! front-end whose resources follow that provider's schema (Terraform,
//! its plans, and Pulumi, whose providers are bridged from Terraform's).
//! A front-end reads its own syntax and hands the arguments over; this
//! knows nothing of formats.

pub mod aws;
