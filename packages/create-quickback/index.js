#!/usr/bin/env node
// `npm create quickback <dir>` runs this: it hands over to the scaffolder in @quickback/compiler.
import '@quickback/compiler/create';
