//! How a scan is configured: command-line arguments over `.mfalint.toml`
//! over defaults, resolved in one place. The command line and the language
//! server both call [`resolve`], so an editor shows what `mfalint scan`
//! reports: the same rule selection, severities, exceptions, excludes and
//! limits.

use std::path::{Path, PathBuf};

use crate::config::{self, Loaded};
use crate::discover::DiscoverOptions;
use crate::frontend::terraform::TerraformOptions;
use crate::frontend::{Freeing, FrontendOptions, Limits};
use crate::report::format::OutputFormat;
use crate::rules::RuleSelection;
use crate::scan::ScanOptions;

/// What the person running a scan asks for over the settings file: the
/// command line's flags, or the language server's workspace folder. The
/// defaults ask for nothing (`.` is scanned, the nearest `.mfalint.toml`
/// is read).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Files or folders to scan (`.` when empty).
    pub paths: Vec<PathBuf>,
    /// Read settings from this file instead of the nearest one.
    pub config: Option<PathBuf>,
    /// Read no settings file.
    pub no_config: bool,
    pub format: Option<OutputFormat>,
    /// Globs to skip, beside the settings file's.
    pub exclude: Vec<String>,
    /// Do not read `.gitignore` and the like.
    pub no_ignore: bool,
    /// Terraform `--var NAME=VALUE`, in order.
    pub vars: Vec<(String, String)>,
    /// Terraform `--var-file FILE`, in order.
    pub var_files: Vec<PathBuf>,
    /// Rules to turn on and off, beside the settings file's.
    pub enable: Vec<String>,
    pub disable: Vec<String>,
    pub baseline: Option<PathBuf>,
    /// Say why each passing console user passes.
    pub explain: bool,
    /// Parse every file, not only those the pre-filter selects.
    pub parse_all: bool,
    pub max_file_size: Option<u64>,
    pub max_nesting: Option<usize>,
    pub max_yaml_aliases: Option<usize>,
}

/// Why settings could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    /// The settings file is unreadable or invalid.
    Config(config::ConfigError),
    /// A command-line value is invalid (a limit out of range).
    Usage(String),
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingsError::Config(e) => e.fmt(f),
            SettingsError::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for SettingsError {}

/// A scan's options, and what else the settings decide.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub options: ScanOptions,
    /// The settings file in use, if any.
    pub config_path: Option<PathBuf>,
    /// The output format: the command line's, else the settings file's.
    pub format: Option<OutputFormat>,
}

/// Resolves the settings of a scan of `args.paths` (`.` when none; the nearest
/// `.mfalint.toml` above the first path, unless `--config` or
/// `--no-config` say otherwise). An unreadable or invalid settings file is
/// an error, with its position.
pub fn resolve(
    args: &Overrides,
    threads: usize,
    freeing: Freeing,
) -> Result<Resolved, SettingsError> {
    let config_path = match (&args.config, args.no_config) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => config::find(args.paths.first().map_or(Path::new("."), |p| p.as_path())),
    };
    let loaded = match &config_path {
        Some(path) => config::load(path).map_err(SettingsError::Config)?,
        None => Loaded::default(),
    };
    let settings = &loaded.config;
    let listed = |rules: &[toml::Spanned<String>], extra: &[String]| -> Vec<String> {
        rules
            .iter()
            .map(|r| r.get_ref().clone())
            .chain(extra.iter().cloned())
            .collect()
    };
    let enable = listed(&settings.rules.enable, &args.enable);
    let disable = listed(&settings.rules.disable, &args.disable);
    let mut exclude: Vec<String> = settings
        .exclude
        .iter()
        .map(|g| g.get_ref().clone())
        .collect();
    exclude.extend(args.exclude.iter().cloned());
    let format = args.format.or_else(|| {
        settings
            .format
            .as_ref()
            .and_then(|f| OutputFormat::named(f.get_ref()))
    });
    let defaults = Limits::default();
    let limits = &settings.limits;
    // The settings file's limits were checked when it was read; those of
    // the command line are checked here.
    for (bound, value) in [
        (Limits::FILE_SIZE, args.max_file_size),
        (Limits::NESTING, args.max_nesting.map(|v| v as u64)),
        (
            Limits::YAML_ALIASES,
            args.max_yaml_aliases.map(|v| v as u64),
        ),
    ] {
        if let Some(value) = value {
            bound.check(value).map_err(|why| {
                SettingsError::Usage(format!("`{} {value}` is out of range: {why}", bound.flag))
            })?;
        }
    }
    let configured = |v: &Option<toml::Spanned<u64>>| v.as_ref().map(|v| *v.get_ref());
    let options = ScanOptions {
        discover: DiscoverOptions {
            paths: if args.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                args.paths.clone()
            },
            exclude,
            respect_ignore_files: !args.no_ignore,
            threads,
        },
        frontends: FrontendOptions {
            limits: Limits {
                max_file_bytes: args
                    .max_file_size
                    .or(configured(&limits.max_file_size))
                    .unwrap_or(defaults.max_file_bytes),
                // Within their ranges, so within usize.
                max_nesting: args
                    .max_nesting
                    .or(configured(&limits.max_nesting).map(|v| v as usize))
                    .unwrap_or(defaults.max_nesting),
                max_yaml_aliases: args
                    .max_yaml_aliases
                    .or(configured(&limits.max_yaml_aliases).map(|v| v as usize))
                    .unwrap_or(defaults.max_yaml_aliases),
            },
            terraform: TerraformOptions {
                vars: args.vars.clone(),
                var_files: args.var_files.clone(),
            },
            freeing,
            trees: crate::frontend::Trees::from_env(),
            // The scan fills in the scanned folders.
            readable_roots: Vec::new(),
        },
        rules: RuleSelection { enable, disable },
        parse_everything: args.parse_all,
        changed: None,
        inventory: false,
        after_model: None,
        baseline: args.baseline.clone(),
        explain: args.explain,
        overrides: Default::default(),
        progress: None,
        config: Some(std::sync::Arc::new(loaded)),
    };
    Ok(Resolved {
        options,
        config_path,
        format,
    })
}
