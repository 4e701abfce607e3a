#!/usr/bin/env node
/** The CDK app entry point (`cdk.json` runs it): `cdk synth|deploy -c stage=<dev|staging|prod>`. */
import * as cdk from 'aws-cdk-lib';

import { addTiplineStage } from '../lib/app';

addTiplineStage(new cdk.App());
