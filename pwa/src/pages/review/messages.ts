// Text of the quality pages (review, A/B, rework, qualification, admin), in the app's two languages.
import { locale } from '../../i18n';

const en = {
  nav: { review: 'Review', ab: 'A/B', rework: 'Rework', qualification: 'Qualification test', admin: 'Admin' },
  common: {
    loading: 'Loading…', retry: 'Retry', error: 'Something went wrong: {error}', offline: 'Offline: showing what this device kept',
    initial: 'Initial prediction', subtype: 'CAD model {n}', back: 'Back to tasks', yes: 'yes', no: 'no', none: '—',
  },
  labels: {
    status_good: 'Good', status_partially: 'Partially visible', status_barely: 'Barely visible', status_bad: 'Bad quality / no object',
    dense_no: 'Not dense', dense_yes: 'Dense',
  } as Record<string, string>,
  verdicts: { good: 'Good', bad_cad: 'Bad CAD model', more_cads: 'More CAD models needed', bad_pose: 'Bad pose', bad_image: 'Bad image' },
  review: {
    title: 'Quality review', queueCount: '{n} annotations waiting', empty: 'Nothing to review right now.',
    by: 'by {user}, saved {when}', comment: 'Comment (optional)', waiting: '{n} verdict(s) saved on this device, not sent yet',
    sentBack: 'Sent back to {user} as rework', stored: 'Review stored', history: 'Recent reviews', status: 'Status',
    open: 'Open', closed: 'Closed', noRework: 'No rework', question: 'Question', annotator: 'Annotator', verdict: 'Verdict',
    refresh: 'Refresh', offlineReady: 'This queue is kept on the device and can be reviewed offline.',
  },
  ab: {
    title: 'A/B evaluation', intro: 'Two answers for the same object, in random order. Which one fits the photo better?',
    a: 'A', b: 'B', pickA: 'A is better', pickB: 'B is better', bothBad: 'Both bad', skip: 'Skip', empty: 'No pairs to compare right now.', waiting: '{n} pick(s) saved on this device, not sent yet',
    stored: 'Pick stored', revealA: 'A was: {who}', revealB: 'B was: {who}', annotation: 'an annotator',
  },
  rework: {
    title: 'Rework', intro: 'Questions a reviewer sent back to you. Fix and save them again; the review then closes.',
    badge: '{n} to rework', empty: 'Nothing was sent back to you.', fix: 'Fix question {n} of {task}', open: 'Open', closed: 'Closed — fixed',
  },
  qual: {
    title: 'Qualification test',
    intro: 'Before your tasks open, annotate a few questions whose correct pose is known. You pass when at least {share}% of them are within the limits below.',
    limits: 'Limits: rotation ≤ {rot}°, centre ≤ {px} px, distance ratio ≤ {ratio}{subtype}{labels}.',
    subtypeRule: ', the right CAD model', labelsRule: ', the right labels',
    start: 'Start the qualification test', retry: 'Try again (a fresh attempt)', attempt: 'Attempt {n}',
    progress: '{done} of {total} answered', annotate: 'Annotate question {n}', submit: 'Submit answers', submitting: 'Submitting…',
    passed: 'Passed — your tasks are open.', failed: 'Not passed: {passed} of {total} questions within the limits. Look at the differences and try again.',
    qualified: 'You are qualified. Your tasks are on the tasks page.', notRequired: 'No qualification test is needed for your account.',
    noGold: 'The test is not ready yet (no gold questions). Ask an admin.', locked: '{n} task(s) unlock when you pass.',
    yours: 'Your answer', reference: 'Reference', rotation: 'Rotation error', centre: 'Centre error', distance: 'Distance ratio',
    subtype: 'CAD model', objectStatus: 'Object quality', dense: 'Dense scene', pass: 'Pass', fail: 'Fail', history: 'Earlier attempts',
    legend: 'Your pose is drawn in teal, the reference in amber.',
  },
  admin: {
    title: 'Admin', tabs: { dashboard: 'Dashboard', users: 'Users', tasks: 'Tasks', gold: 'Gold & qualification', exchange: 'Import & export' },
    users: {
      id: 'User ID', name: 'Name', role: 'Role', qualified: 'Qualified', disabled: 'Disabled', create: 'Create user',
      password: 'Password (empty: generate)', reset: 'Reset password', newPassword: 'Password for {user}: {password}', disable: 'Disable', enable: 'Enable',
      roles: { annotator: 'Annotator', reviewer: 'Reviewer', admin: 'Admin' },
      confirmReset: 'Reset the password of {user}? The current password stops working at once; you will be shown the new one.',
      confirmDisable: 'Disable {user} ({role})? They can no longer sign in; their assigned tasks and saves are kept.',
    },
    tasks: {
      name: 'Task name', questions: 'Questions', assignees: 'Assignees', create: 'Create task from selected questions', selected: '{n} selected',
      inTasks: 'In tasks', assign: 'Assign', reassign: 'Reassign', to: 'to', remove: 'Remove', category: 'Category', all: 'All', progress: 'Progress',
      status: 'Status', annotator: 'Annotator', task: 'Task', photo: 'Photo', answeredBy: 'Answered by',
      statuses: { open: 'Not annotated', annotated: 'Annotated', conflict: 'Conflict' },
      confirmRemove: 'Remove {user} from "{task}"? {done} of {total} questions are done; their saves stay, the task leaves their list.',
      confirmReassign: 'Move "{task}" from {from} ({done} of {total} done) to {to}? {from} loses the task; their saves stay theirs.',
    },
    gold: {
      mark: 'Mark as gold', unmark: 'Remove', fromSource: 'reference from the source', isGold: 'Gold', settings: 'Qualification settings',
      required: 'New annotators must pass', perAttempt: 'Questions per attempt (0 = all)', rotationDeg: 'Rotation ≤ (°)', centrePx: 'Centre ≤ (px)',
      distanceRatio: 'Distance ratio ≤', requireSubtype: 'CAD model must match', requireLabels: 'Labels must match', minPassShare: 'Share to pass (0–1)',
      save: 'Save settings', saved: 'Saved',
    },
    exchange: {
      import: 'Import a dataset', choose: 'Archive (.zip, .tar, .tar.gz)', uploading: 'Uploading',
      importHelp: "A .zip, .tar or .tar.gz of the original tool's data folder (database.sqlite, images/, annotations/, a cad/ folder), an ImageNet3D release folder (.npz), or CAD models alone (<category>/<NN>.off) to add subtypes.",
      phases: { uploading: 'Uploading', unpacking: 'Unpacking', importing: 'Importing', done: 'Done', failed: 'Failed', interrupted: 'Interrupted' },
      kinds: { legacy: 'original tool', imagenet3d: 'ImageNet3D release', cad: 'CAD models', unknown: 'unknown' },
      summary: '{questions} questions imported, {photos} photos stored, {missing} photos missing, {models} CAD models added.',
      path: 'File', reason: 'Problem', export: 'Export annotations', downloading: 'Downloading {layout}: {size}',
      layouts: { npz: 'npz (original tool)', release: 'ImageNet3D release', coco: 'COCO JSON', jsonl: 'jsonl (history)' },
    },
    dash: {
      progressTask: 'Progress per task', progressUser: 'Progress per annotator', throughput: 'Throughput per day', activeTime: 'Active time per annotation',
      agreement: 'Agreement between annotators', gold: 'Acc@π/6 on gold questions', reviews: 'Reviews', ab: 'A/B picks',
      pair: 'Annotators', n: 'Objects', medRot: 'Median rotation diff.', acc: 'Acc@π/6', centre: 'Mean centre diff.', ratio: 'Median distance ratio',
      subtype: 'Same CAD', kStatus: 'κ quality', kDense: 'κ dense', overall: 'All pairs', revisions: 'Saves', newAnn: 'New annotations',
      seconds: 'seconds', annotations: 'annotations', noData: 'No data yet.', done: 'Done', assigned: 'Assigned', active: 'Active time',
      openRework: 'open rework', median: 'Median',
      perAssignee: 'saves: {total} questions × {n} assignees (each assignee answers every question)',
      support: 'Support link shown to annotators',
      reports: 'Problem reports and notes', reportsNone: 'No open reports.', resolve: 'Resolved', problem: 'Problem', note: 'Note', by: 'From',
      problems: { wrong_bbox: 'Wrong bounding box', wrong_category: 'Wrong category', duplicate: 'Duplicate', broken_photo: 'Broken photo', other: 'Other' },
      audit: 'Admin actions', auditWhen: 'When', auditWho: 'Who', auditWhat: 'What',
      csv: 'Download CSV',
    },
  },
};

export type QualityMessages = typeof en;

const zh: QualityMessages = {
  nav: { review: '审核', ab: 'A/B 对比', rework: '返工', qualification: '资格测试', admin: '管理' },
  common: {
    loading: '加载中…', retry: '重试', error: '出错了：{error}', offline: '离线：显示本设备保存的内容',
    initial: '初始预测', subtype: 'CAD 模型 {n}', back: '返回任务', yes: '是', no: '否', none: '—',
  },
  labels: {
    status_good: '良好', status_partially: '部分可见', status_barely: '几乎不可见', status_bad: '质量差 / 无物体',
    dense_no: '不密集', dense_yes: '密集',
  },
  verdicts: { good: '良好', bad_cad: 'CAD 模型不对', more_cads: '需要更多 CAD 模型', bad_pose: '姿态不对', bad_image: '图像不佳' },
  review: {
    title: '质量审核', queueCount: '{n} 个标注待审核', empty: '目前没有需要审核的内容。',
    by: '标注者 {user}，保存于 {when}', comment: '备注（可选）', waiting: '{n} 条审核结果保存在本设备，尚未发送',
    sentBack: '已退回给 {user} 返工', stored: '审核已保存', history: '最近的审核', status: '状态',
    open: '待处理', closed: '已关闭', noRework: '无需返工', question: '问题', annotator: '标注者', verdict: '结论',
    refresh: '刷新', offlineReady: '此队列已保存在本设备，可离线审核。',
  },
  ab: {
    title: 'A/B 对比评估', intro: '同一物体的两个答案，顺序随机。哪一个与照片更吻合？',
    a: 'A', b: 'B', pickA: 'A 更好', pickB: 'B 更好', bothBad: '都不好', skip: '跳过', empty: '目前没有可对比的答案。', waiting: '{n} 个选择保存在本设备，尚未发送',
    stored: '选择已保存', revealA: 'A 是：{who}', revealB: 'B 是：{who}', annotation: '标注者的答案',
  },
  rework: {
    title: '返工', intro: '审核员退回给你的问题。修改后重新保存，审核即关闭。',
    badge: '{n} 题需返工', empty: '没有退回给你的问题。', fix: '修改 {task} 的第 {n} 题', open: '待处理', closed: '已关闭 — 已修改',
  },
  qual: {
    title: '资格测试',
    intro: '在任务开放之前，请标注几道已知正确姿态的题目。至少 {share}% 的题目在以下范围内即为通过。',
    limits: '范围：旋转误差 ≤ {rot}°，中心误差 ≤ {px} 像素，距离比 ≤ {ratio}{subtype}{labels}。',
    subtypeRule: '，CAD 模型正确', labelsRule: '，标签正确',
    start: '开始资格测试', retry: '再试一次（新的尝试）', attempt: '第 {n} 次尝试',
    progress: '已回答 {done} / {total}', annotate: '标注第 {n} 题', submit: '提交答案', submitting: '提交中…',
    passed: '已通过 — 你的任务已开放。', failed: '未通过：{total} 道题中有 {passed} 道在范围内。请查看差异后再试。',
    qualified: '你已通过资格测试。任务在任务页面。', notRequired: '你的账号无需资格测试。',
    noGold: '测试尚未准备好（没有标准题）。请联系管理员。', locked: '通过后将开放 {n} 个任务。',
    yours: '你的答案', reference: '参考答案', rotation: '旋转误差', centre: '中心误差', distance: '距离比',
    subtype: 'CAD 模型', objectStatus: '物体质量', dense: '密集场景', pass: '通过', fail: '未通过', history: '以前的尝试',
    legend: '你的姿态为青色，参考姿态为琥珀色。',
  },
  admin: {
    title: '管理', tabs: { dashboard: '仪表盘', users: '用户', tasks: '任务', gold: '标准题与资格', exchange: '导入与导出' },
    users: {
      id: '用户 ID', name: '名称', role: '角色', qualified: '已通过', disabled: '已停用', create: '创建用户',
      password: '密码（留空自动生成）', reset: '重置密码', newPassword: '{user} 的密码：{password}', disable: '停用', enable: '启用',
      roles: { annotator: '标注员', reviewer: '审核员', admin: '管理员' },
      confirmReset: '重置 {user} 的密码？当前密码立即失效；新密码会显示给你。',
      confirmDisable: '停用 {user}（{role}）？其将无法登录；其已分配的任务和保存的标注会保留。',
    },
    tasks: {
      name: '任务名称', questions: '题目', assignees: '分配给', create: '用所选题目创建任务', selected: '已选 {n} 个',
      inTasks: '所在任务', assign: '分配', reassign: '转派', to: '给', remove: '移除', category: '类别', all: '全部', progress: '进度',
      status: '状态', annotator: '标注者', task: '任务', photo: '照片', answeredBy: '已作答',
      statuses: { open: '未标注', annotated: '已标注', conflict: '冲突' },
      confirmRemove: '将 {user} 从“{task}”移除？已完成 {done} / {total} 题；其保存的标注保留，任务从其列表中移除。',
      confirmReassign: '将“{task}”从 {from}（已完成 {done} / {total}）转派给 {to}？{from} 将失去此任务；其保存的标注仍归其所有。',
    },
    gold: {
      mark: '设为标准题', unmark: '移除', fromSource: '参考来自数据源', isGold: '标准题', settings: '资格测试设置',
      required: '新标注员必须通过', perAttempt: '每次尝试的题数（0 = 全部）', rotationDeg: '旋转 ≤（°）', centrePx: '中心 ≤（像素）',
      distanceRatio: '距离比 ≤', requireSubtype: 'CAD 模型必须一致', requireLabels: '标签必须一致', minPassShare: '通过比例（0–1）',
      save: '保存设置', saved: '已保存',
    },
    exchange: {
      import: '导入数据集', choose: '压缩包（.zip、.tar、.tar.gz）', uploading: '上传中',
      importHelp: '原工具数据文件夹（database.sqlite、images/、annotations/、cad/）、ImageNet3D 发布文件夹（.npz）或仅 CAD 模型（<类别>/<NN>.off，用于添加子类型）的 .zip、.tar 或 .tar.gz。',
      phases: { uploading: '上传中', unpacking: '解压中', importing: '导入中', done: '完成', failed: '失败', interrupted: '已中断' },
      kinds: { legacy: '原工具', imagenet3d: 'ImageNet3D 发布版', cad: 'CAD 模型', unknown: '未知' },
      summary: '导入 {questions} 个问题，保存 {photos} 张照片，缺少 {missing} 张照片，新增 {models} 个 CAD 模型。',
      path: '文件', reason: '问题', export: '导出标注', downloading: '正在下载 {layout}：{size}',
      layouts: { npz: 'npz（原工具）', release: 'ImageNet3D 发布版', coco: 'COCO JSON', jsonl: 'jsonl（历史）' },
    },
    dash: {
      progressTask: '各任务进度', progressUser: '各标注员进度', throughput: '每日产量', activeTime: '每个标注的有效时间',
      agreement: '标注员之间的一致性', gold: '标准题上的 Acc@π/6', reviews: '审核', ab: 'A/B 选择',
      pair: '标注员', n: '物体数', medRot: '旋转差中位数', acc: 'Acc@π/6', centre: '中心差均值', ratio: '距离比中位数',
      subtype: '相同 CAD', kStatus: 'κ 质量', kDense: 'κ 密集', overall: '全部', revisions: '保存次数', newAnn: '新标注',
      seconds: '秒', annotations: '个标注', noData: '暂无数据。', done: '完成', assigned: '已分配', active: '有效时间',
      openRework: '待返工', median: '中位数',
      perAssignee: '保存数：{total} 题 × {n} 名标注者（每名标注者回答每道题）',
      support: '显示给标注者的支持链接',
      reports: '问题报告与备注', reportsNone: '没有待处理的报告。', resolve: '已处理', problem: '问题', note: '备注', by: '来自',
      problems: { wrong_bbox: '边界框错误', wrong_category: '类别错误', duplicate: '重复', broken_photo: '照片损坏', other: '其他' },
      audit: '管理操作', auditWhen: '时间', auditWho: '操作者', auditWhat: '操作',
      csv: '下载 CSV',
    },
  },
};

export function useQualityMessages(): QualityMessages {
  return locale.value === 'zh' ? zh : en;
}

export { fmt } from '../../i18n';
