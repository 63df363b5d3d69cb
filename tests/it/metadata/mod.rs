//! kep.yaml, legacy front matter and PRR rules on fixture files (R1-R5, R7-R11, R16-R20).

mod cases;
mod node_approvers;
mod prr;
mod rules;
mod slips;
mod validator;
