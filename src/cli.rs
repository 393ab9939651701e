//! Command-line interface, in the binary: the library knows what a scan
//! may be asked for ([`mfalint::settings::Overrides`]), not the flags that
//! ask. Each flag carries its documentation, which is what `--help` prints.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use mfalint::report::OutputFormat;
use mfalint::settings::Overrides;

#[derive(Debug, Parser)]
#[command(
    name = "mfalint",
    version = env!("MFALINT_VERSION"),
    about = "Finds cloud identities that can sign in to a console without MFA, in Terraform code.",
    long_about = None,
    args_conflicts_with_subcommands = true,
    after_help = "Inputs: Terraform and OpenTofu (.tf, .tf.json, .tofu, .tofu.json, terraform.tfvars, *.auto.tfvars, --var-file, plan JSON from `terraform show -json`, downloaded modules), CloudFormation templates (JSON and YAML, SAM, CDK output), AWS IAM credential reports (.csv).\nOutput formats: human, compact, json, sarif, github (--format, or --output FORMAT=PATH).\nExit status: 0 no findings, 1 findings, 2 usage error or an input that could not be read or parsed.\nWithout a sub-command, mfalint runs `scan`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders (the default command).
    Scan(Box<ScanArgs>),
    /// List every rule.
    Rules(RulesArgs),
    /// Print a rule's full documentation and remediation.
    Explain(ExplainArgs),
    /// List every identity that can sign in, per service, with its MFA
    /// status and evidence: the auditor's view.
    Inventory(Box<InventoryArgs>),
    /// Run as a language server over standard input and output (editors).
    Lsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What to read and how: the flags `scan` and `inventory` share.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or folders to read. A named file is linked with the other
    /// files of its folder; `scan` reports only the findings that touch
    /// named files.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Read settings from this file instead of the nearest .mfalint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore .mfalint.toml files.
    #[arg(long)]
    pub no_config: bool,

    /// Skip files and folders matching this glob (matched against the path
    /// relative to the scanned folder and against names). Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Do not read .gitignore, .ignore or git exclude files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Set a Terraform input variable of every root module, as
    /// `terraform plan -var` does. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,

    /// Read Terraform variable values from this file (`.tfvars` or
    /// `.tfvars.json`) for every root module. Repeatable; later files win.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Findings recorded in this baseline file are excused: `scan` does
    /// not report them (JSON and SARIF show them as excused), `inventory`
    /// lists their identities as excepted.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Skip (with a diagnostic) files larger than this many bytes, 1 to
    /// 4294967295 [default: 33554432, 32 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,

    /// Parse every file, also those that mention nothing mfalint checks
    /// (skipped by default after a byte-level look): same findings, and
    /// syntax errors reported in every file.
    #[arg(long)]
    pub parse_all: bool,

    /// Reject JSON and YAML documents nested deeper than this, 1 to 1000
    /// [default: 200].
    #[arg(long, value_name = "LEVELS")]
    pub max_nesting: Option<usize>,

    /// Reject YAML files whose aliases expand to more nodes than this, 0 to
    /// 10000000 [default: 100000].
    #[arg(long, value_name = "NODES")]
    pub max_yaml_aliases: Option<usize>,
}

impl InputArgs {
    /// What these flags ask of the settings.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            paths: self.paths.clone(),
            config: self.config.clone(),
            no_config: self.no_config,
            exclude: self.exclude.clone(),
            no_ignore: self.no_ignore,
            vars: self.vars.clone(),
            var_files: self.var_files.clone(),
            baseline: self.baseline.clone(),
            parse_all: self.parse_all,
            max_file_size: self.max_file_size,
            max_nesting: self.max_nesting,
            max_yaml_aliases: self.max_yaml_aliases,
            ..Overrides::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Report every finding in the root modules and templates that the
    /// staged git change reaches (added, modified, deleted or renamed
    /// files, variable files, files read by `file()`, the modules they
    /// call, .mfalint.toml), and nothing else: the pre-commit hook's mode.
    #[arg(long)]
    pub changed: bool,

    /// With --changed: the change is the difference from the merge base of
    /// this git reference (e.g. `origin/main`) to the working tree, as a
    /// pull request's CI needs, instead of the staged change.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// Output format [default: human, or `format` in .mfalint.toml].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<OutputFormat>,

    /// SARIF: make artifact URIs relative to this folder (%SRCROOT%)
    /// [default: the git repository's root, else the working directory].
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,

    /// SARIF: the run's category (`automationDetails.id`), so that several
    /// scans of one repository do not replace each other in GitHub code
    /// scanning [default: mfalint/ and the scanned paths].
    #[arg(long, value_name = "NAME")]
    pub sarif_category: Option<String>,

    /// Write a report to a file instead of standard output: `FORMAT=PATH`
    /// (`-` is standard output), repeatable, so one scan writes several
    /// reports (`--output sarif=mfalint.sarif --output github=-`); a bare
    /// PATH takes --format, else its extension (.sarif, .json).
    #[arg(long, short = 'o', value_name = "[FORMAT=]PATH")]
    pub output: Vec<String>,

    /// Turn on a rule that is off by default (such as MFA003). Repeatable.
    #[arg(long, value_name = "RULE")]
    pub enable: Vec<String>,

    /// Turn off a rule. Repeatable.
    #[arg(long, value_name = "RULE")]
    pub disable: Vec<String>,

    /// Record the current findings in this baseline file (written
    /// atomically), then exit with status 0 unless an input could not be read.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Print findings only: no summary line, no progress, no notes.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Also say, on standard error, why each console user that passes
    /// passes (the MFA evidence accepted), for reviewers.
    #[arg(long)]
    pub explain: bool,

    /// Exit with status 0 even when there are findings (input errors still
    /// exit with 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The inventory's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    /// A summary table, then a table per service (GitHub renders it).
    Markdown,
    Csv,
    /// The documented schema (README, "Inventory").
    Json,
    /// One self-contained page: a chart per service, a sortable,
    /// filterable table; nothing fetched.
    Html,
}

/// Statuses that make `inventory` exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// An identity nothing requires to use MFA.
    None,
    /// An identity whose MFA could not be evaluated.
    Unknown,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = InventoryFormat::Markdown)]
    pub format: InventoryFormat,

    /// Write the inventory to this file (atomically) instead of standard
    /// output.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when an identity has this status (`none`,
    /// `unknown`; repeatable or comma-separated), so that a pipeline can
    /// require that everyone has MFA.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATUS")]
    pub fail_on: Vec<FailOn>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format of the list.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id (MFA001) or name (aws-iam-console-user-without-mfa).
    pub rule: String,
}

/// Where one report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub format: OutputFormat,
    /// `None`: standard output.
    pub path: Option<PathBuf>,
}

impl ScanArgs {
    /// The reports to write, from `--output` (and `format`, the format
    /// given by `--format` or the settings); a usage error when a file's
    /// format cannot be told or two reports would share standard output.
    pub fn destinations(&self, format: Option<OutputFormat>) -> Result<Vec<Destination>, String> {
        if self.output.is_empty() {
            return Ok(vec![Destination {
                format: format.unwrap_or(OutputFormat::Human),
                path: None,
            }]);
        }
        let mut out = Vec::new();
        for value in &self.output {
            let named = value.split_once('=').and_then(|(name, path)| {
                Some((
                    <OutputFormat as ValueEnum>::from_str(name, true).ok()?,
                    path,
                ))
            });
            let (format, path) = match named {
                Some((format, path)) => (format, path),
                None => {
                    let by_extension =
                        if value.ends_with(".sarif") || value.ends_with(".sarif.json") {
                            Some(OutputFormat::Sarif)
                        } else if value.ends_with(".json") {
                            Some(OutputFormat::Json)
                        } else {
                            None
                        };
                    match format.or(by_extension) {
                        Some(format) => (format, value.as_str()),
                        None => {
                            return Err(format!(
                                "cannot tell the format of `--output {value}`: give `--format`, or write FORMAT=PATH (formats: {})",
                                OutputFormat::names().join(", ")
                            ));
                        }
                    }
                }
            };
            if path.is_empty() {
                return Err(format!(
                    "`--output {value}` names no file (`-` is standard output)"
                ));
            }
            let path = (path != "-").then(|| PathBuf::from(path));
            out.push(Destination { format, path });
        }
        let to_stdout = out.iter().filter(|d| d.path.is_none()).count();
        if to_stdout > 1 {
            return Err("only one report can go to standard output (`-`)".into());
        }
        Ok(out)
    }

    /// What these flags ask of the settings.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            format: self.format,
            enable: self.enable.clone(),
            disable: self.disable.clone(),
            explain: self.explain,
            ..self.input.overrides()
        }
    }
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, got {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `--help` names the formats of the one format list.
    #[test]
    fn help_lists_the_output_formats() {
        let help = Cli::command().get_after_help().unwrap().to_string();
        let listed = format!(
            "Output formats: {} (--format, or --output FORMAT=PATH)",
            OutputFormat::names().join(", ")
        );
        assert!(help.contains(&listed), "{help}");
    }

    /// Every `mfalint ...` command in the README's shell snippets parses.
    #[test]
    fn the_readme_s_commands_parse() {
        let readme = include_str!("../README.md");
        let mut commands = 0;
        let mut in_shell = false;
        for line in readme.lines() {
            if let Some(info) = line.trim_start().strip_prefix("```") {
                in_shell = !in_shell && matches!(info.trim(), "sh" | "bash" | "console");
                continue;
            }
            if !in_shell {
                continue;
            }
            let command = line.split(" #").next().unwrap_or("").trim();
            for part in command.split("&&").map(str::trim) {
                if !part.starts_with("mfalint") || part.contains('>') || part.contains('|') {
                    continue;
                }
                commands += 1;
                let words: Vec<&str> = part.split_whitespace().collect();
                if let Err(e) = Cli::try_parse_from(&words) {
                    panic!("README command `{part}` does not parse: {e}");
                }
            }
        }
        assert!(commands >= 8, "only {commands} mfalint commands checked");
    }

    /// The flags reach the settings.
    #[test]
    fn flags_become_overrides() {
        let cli = Cli::try_parse_from([
            "mfalint",
            "scan",
            "infra",
            "--no-config",
            "--enable",
            "MFA003",
            "--var",
            "a=b",
            "--max-nesting",
            "50",
        ])
        .expect("parses");
        let Some(Command::Scan(args)) = cli.command else {
            panic!("a scan");
        };
        let overrides = args.overrides();
        assert_eq!(overrides.paths, [PathBuf::from("infra")]);
        assert!(overrides.no_config);
        assert_eq!(overrides.enable, ["MFA003"]);
        assert_eq!(overrides.vars, [("a".to_string(), "b".to_string())]);
        assert_eq!(overrides.max_nesting, Some(50));
    }
}
